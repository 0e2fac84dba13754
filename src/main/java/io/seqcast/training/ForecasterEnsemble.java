package io.seqcast.training;

import io.seqcast.model.CellType;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.ModelMetadata;
import io.seqcast.model.SequenceShape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * An ensemble of many-to-many LSTM forecasters served as one network: K trained networks of the same layout (LSTM
 * layers of {@code n_1 .. n_L} units over the same inputs, the same outputs) become one network of LSTM layers of
 * {@code K n_l} units whose weights are block-diagonal (member k's units read the inputs, or member k's units of the
 * layer below, and their own recurrent state only, so they compute exactly what they computed alone), and an output
 * layer that averages the members' outputs. Its forecasts are the mean of the members' forecasts, step by step, with
 * the members' states carried side by side in the wider state.
 *
 * <p>The result is an ordinary network of the project's layout ({@link Networks}), so serving, the artifact format
 * and the pipeline's state code are unchanged; only the layers are wider. Members may also differ in width and weigh
 * unequally ({@link #weightedMeanOf}): an ensemble merged with more members counts as the networks it averages, so an
 * ensemble grows without its members being trained again ({@link #merge}, {@code seqcast train --ensemble}). {@link ClassifierEnsemble} does the same for
 * one-layer classifiers.
 */
public final class ForecasterEnsemble {

    private static final String WEIGHTS = LstmBlocks.WEIGHTS;
    private static final String RECURRENT = LstmBlocks.RECURRENT;
    private static final String BIAS = LstmBlocks.BIAS;

    private ForecasterEnsemble() {}

    /**
     * One network whose outputs are the mean of {@code members}' outputs, as described on the class.
     *
     * @param head the output head recorded in the merged network's configuration (the loss it would train with)
     * @throws IllegalArgumentException when there is no member, or the members are not LSTM networks of the same
     *     layer sizes, inputs and outputs
     */
    public static MultiLayerNetwork averageOf(List<MultiLayerNetwork> members, OutputHead head) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one forecaster");
        }
        List<Integer> sizes = sizes(members.get(0), 0);
        for (int m = 1; m < members.size(); m++) {
            if (!sizes(members.get(m), m).equals(sizes)) {
                throw new IllegalArgumentException("ensemble member " + (m + 1) + " has other sizes than the first ("
                        + inputs(members.get(0)) + " inputs, LSTM " + sizes + ", " + outputs(members.get(0))
                        + " outputs)");
            }
        }
        return weightedMeanOf(members, Collections.nCopies(members.size(), 1), head);
    }

    /**
     * One network whose outputs are the weighted mean of {@code members}' outputs, member {@code m} weighing
     * {@code weights[m] / sum(weights)}: members may have LSTM layers of different sizes (each is a block of the wider
     * layers, as on the class), so that an ensemble of {@code j} members, itself a member of weight {@code j}, adds its
     * members to the new ensemble as if each were given alone.
     *
     * @param weights positive whole weights, one per member (a member's count of networks)
     * @param head the output head recorded in the merged network's configuration (the loss it would train with)
     * @throws IllegalArgumentException when there is no member, the weights do not match, or the members are not LSTM
     *     networks of the same number of layers, inputs and outputs
     */
    public static MultiLayerNetwork weightedMeanOf(
            List<MultiLayerNetwork> members, List<Integer> weights, OutputHead head) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one forecaster");
        }
        if (weights.size() != members.size() || weights.stream().anyMatch(v -> v < 1)) {
            throw new IllegalArgumentException(
                    "an ensemble needs one weight of 1 or more per member; got " + weights + " for " + members.size());
        }
        MultiLayerNetwork first = members.get(0);
        int last = sizes(first, 0).size();
        int nIn = inputs(first);
        int outputs = outputs(first);
        List<List<Integer>> sizes = new ArrayList<>();
        for (int m = 0; m < members.size(); m++) {
            MultiLayerNetwork net = members.get(m);
            sizes.add(sizes(net, m));
            if (sizes.get(m).size() != last || inputs(net) != nIn || outputs(net) != outputs) {
                throw new IllegalArgumentException("ensemble member " + (m + 1) + " has other layers than the first ("
                        + nIn + " inputs, " + last + " LSTM layers, " + outputs + " outputs)");
            }
        }
        List<Integer> wide = new ArrayList<>();
        for (int l = 0; l < last; l++) {
            int width = 0;
            for (List<Integer> s : sizes) {
                width += s.get(l);
            }
            wide.add(width);
        }
        MultiLayerNetwork out = Networks.build(new NetworkSpec(
                CellType.LSTM,
                wide,
                nIn,
                outputs,
                0,
                0.01,
                GradientClipping.none(),
                0,
                0,
                SequenceShape.MANY_TO_MANY,
                head,
                1));
        for (int l = 0; l < last; l++) {
            Layer target = out.getLayer(l);
            INDArray w = target.getParam(WEIGHTS).assign(0);
            INDArray rw = target.getParam(RECURRENT).assign(0);
            INDArray b = target.getParam(BIAS).assign(0);
            int firstUnit = 0;
            int firstInput = 0; // layer 0: every member reads all the inputs; above, its own units of the layer below
            for (int m = 0; m < members.size(); m++) {
                LstmBlocks.placeAt(members.get(m).getLayer(l), firstUnit, wide.get(l), firstInput, w, rw, b);
                firstUnit += sizes.get(m).get(l);
                firstInput += l == 0 ? 0 : sizes.get(m).get(l - 1);
            }
        }
        int total = weights.stream().mapToInt(Integer::intValue).sum();
        INDArray w = out.getLayer(last).getParam(WEIGHTS).assign(0);
        INDArray b = out.getLayer(last).getParam(BIAS).assign(0);
        int firstRow = 0;
        for (int m = 0; m < members.size(); m++) {
            Layer source = members.get(m).getLayer(last);
            int n = sizes.get(m).get(last - 1);
            // divided by total / weight, so that equal weights divide by the member count exactly as averageOf did
            double share = (double) total / weights.get(m);
            w.get(NDArrayIndex.interval(firstRow, firstRow + n), NDArrayIndex.all())
                    .assign(source.getParam(WEIGHTS).div(share));
            b.addi(source.getParam(BIAS).reshape(b.shape()).div(share));
            firstRow += n;
        }
        return out;
    }

    /** The validation metric that counts the networks an ensemble artifact averages ({@link #merge}). */
    public static final String MEMBERS = "ensemble_members";

    /**
     * One artifact whose forecasts are the mean of every network of {@code members}: many-to-many LSTM forecasters of
     * the same inputs, horizon and number of layers, e.g. one command trained with different seeds. A member that is
     * itself such an ensemble (its {@value #MEMBERS} metric) counts as its networks, so ensembles can grow by merging.
     * The metadata is the first member's, with the wider layers, {@code name} and {@code version}, each network's
     * validation metrics under {@code member_<i>_}, and the number of networks.
     *
     * @throws IllegalArgumentException when the members do not read the same inputs or forecast the same steps, or
     *     their networks do not fit one ensemble ({@link #weightedMeanOf})
     */
    public static ModelArtifact merge(List<ModelArtifact> members, String name, String version) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one forecaster");
        }
        ModelMetadata first = members.get(0).metadata();
        List<MultiLayerNetwork> nets = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        Map<String, Double> metrics = new LinkedHashMap<>();
        int count = 0;
        for (int i = 0; i < members.size(); i++) {
            ModelMetadata m = members.get(i).metadata();
            if (!ModelMetadata.FORECAST.equals(m.task())
                    || !ModelArtifact.MANY_TO_MANY.equals(m.shape())
                    || m.cell() != CellType.LSTM
                    || !m.inputFeatures().equals(first.inputFeatures())
                    || m.horizon() != first.horizon()
                    || m.outputSize() != first.outputSize()
                    || !m.normalisation().equals(first.normalisation())) {
                throw new IllegalArgumentException("ensemble member " + (i + 1) + " (" + m.name() + " " + m.version()
                        + ") is not a many-to-many LSTM forecaster of the first's inputs " + first.inputFeatures()
                        + ", horizon " + first.horizon() + " and normalisation");
            }
            int networks = m.validationMetrics().getOrDefault(MEMBERS, 1.0).intValue();
            for (Map.Entry<String, Double> e : m.validationMetrics().entrySet()) {
                if (networks == 1) {
                    metrics.put("member_" + (count + 1) + "_" + e.getKey(), e.getValue());
                } else if (e.getKey().startsWith("member_")) {
                    String rest = e.getKey().substring("member_".length());
                    int at = rest.indexOf('_');
                    int own = Integer.parseInt(rest.substring(0, at));
                    metrics.put("member_" + (count + own) + rest.substring(at), e.getValue());
                }
            }
            nets.add(members.get(i).network());
            weights.add(networks);
            count += networks;
        }
        MultiLayerNetwork net = weightedMeanOf(nets, weights, headOf(nets.get(0)));
        metrics.put(MEMBERS, (double) count);
        List<Integer> wide = new ArrayList<>();
        for (Layer layer : net.getLayers()) {
            if (layer instanceof org.deeplearning4j.nn.layers.recurrent.LSTM) {
                wide.add((int) layer.getParam(RECURRENT).size(0));
            }
        }
        ModelMetadata out = first.toBuilder()
                .name(name)
                .version(version)
                .hiddenSizes(wide)
                .validationMetrics(metrics)
                .createdAt(java.time.Instant.now())
                .build();
        return ModelArtifact.of(net, out);
    }

    /** The head a forecaster was trained with, read from its output layer's loss. */
    private static OutputHead headOf(MultiLayerNetwork net) {
        Layer output = net.getLayer(net.getLayers().length - 1);
        return ((org.deeplearning4j.nn.conf.layers.BaseOutputLayer)
                                        output.conf().getLayer())
                                .getLossFn()
                        instanceof org.nd4j.linalg.lossfunctions.impl.LossMAE
                ? OutputHead.MEDIAN
                : OutputHead.REGRESSION;
    }

    private static int inputs(MultiLayerNetwork net) {
        return (int) net.getLayer(0).getParam(WEIGHTS).size(0);
    }

    private static int outputs(MultiLayerNetwork net) {
        return (int) net.getLayer(net.getLayers().length - 1).getParam(BIAS).length();
    }

    /** The LSTM layer sizes of a network of the project's layout, checking that it is one. */
    private static List<Integer> sizes(MultiLayerNetwork net, int index) {
        List<Integer> sizes = new ArrayList<>();
        Layer[] layers = net.getLayers();
        for (int l = 0; l < layers.length - 1; l++) {
            if (!(layers[l] instanceof org.deeplearning4j.nn.layers.recurrent.LSTM)) {
                throw new IllegalArgumentException("ensemble member " + (index + 1) + ": layer " + l + " is "
                        + layers[l].getClass().getSimpleName() + ", not an LSTM");
            }
            sizes.add((int) layers[l].getParam(RECURRENT).size(0));
        }
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("ensemble member " + (index + 1) + " has no recurrent layer");
        }
        return sizes;
    }
}
