package io.seqcast.model;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameters of a {@link GruLayer}, views into the layer's flat parameter vector in this order: {@code W [nIn, 3n]},
 * {@code RW [n, 3n]}, {@code b [3n]} (column blocks reset, update, candidate), the same keys DL4J's recurrent layers
 * use. Weights take the layer's weight initialisation (recurrent weights its recurrent one, if set) with fan-out
 * {@code n} per gate; biases the layer's bias initialisation.
 */
final class GruParamInitializer implements ParamInitializer {

    static final GruParamInitializer INSTANCE = new GruParamInitializer();

    static final String WEIGHT_KEY = "W";
    static final String RECURRENT_WEIGHT_KEY = "RW";
    static final String BIAS_KEY = "b";

    private GruParamInitializer() {}

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        GruLayer g = (GruLayer) layer;
        long nIn = g.getNIn();
        long n = g.getNOut();
        return nIn * 3 * n + n * 3 * n + 3 * n;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY, BIAS_KEY);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of(BIAS_KEY);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEY.equals(key) || RECURRENT_WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS_KEY.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initialize) {
        GruLayer g = (GruLayer) conf.getLayer();
        Map<String, INDArray> views = views(g, paramsView);
        if (initialize) {
            long nIn = g.getNIn();
            long n = g.getNOut();
            IWeightInit w = g.getWeightInitFn();
            IWeightInit rw = g.getWeightInitFnRecurrent() != null ? g.getWeightInitFnRecurrent() : w;
            w.init(nIn, n, new long[] {nIn, 3 * n}, 'f', views.get(WEIGHT_KEY));
            rw.init(n, n, new long[] {n, 3 * n}, 'f', views.get(RECURRENT_WEIGHT_KEY));
            views.get(BIAS_KEY).assign(g.getBiasInit());
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((GruLayer) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> views(GruLayer g, INDArray flat) {
        long nIn = g.getNIn();
        long n = g.getNOut();
        long wEnd = nIn * 3 * n;
        long rwEnd = wEnd + n * 3 * n;
        long bEnd = rwEnd + 3 * n;
        INDArray row = flat.rank() == 1 ? flat.reshape(1, flat.length()) : flat;
        if (row.length() != bEnd) {
            throw new IllegalArgumentException(
                    "GRU layer " + g.getLayerName() + " needs " + bEnd + " parameters, got a view of " + row.length());
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(WEIGHT_KEY, row.get(interval(0, 0, true), interval(0, wEnd)).reshape('f', nIn, 3 * n));
        out.put(
                RECURRENT_WEIGHT_KEY,
                row.get(interval(0, 0, true), interval(wEnd, rwEnd)).reshape('f', n, 3 * n));
        out.put(BIAS_KEY, row.get(interval(0, 0, true), interval(rwEnd, bEnd)).reshape(1, 3 * n));
        return out;
    }
}
