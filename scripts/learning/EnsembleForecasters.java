// Merges many-to-many LSTM forecaster artifacts of one layout (trained alike, other seeds) into one artifact whose
// forecasts are their mean (training/ForecasterEnsemble: block-diagonal LSTM layers, an averaging output layer).
// The metadata is the first member's with the wider layers, the given version, and the members' validation metrics
// averaged. Used for models/lstm-ecg.seqcast version 4 (MODELS.md).
// java -cp 'target/seqcast.jar:target/lib/*' scripts/learning/EnsembleForecasters.java VERSION OUT.seqcast A.seqcast B.seqcast ...
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.ModelMetadata;
import io.seqcast.training.ForecasterEnsemble;
import io.seqcast.training.OutputHead;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

public class EnsembleForecasters {
    public static void main(String[] args) throws Exception {
        List<ModelArtifact> members = new ArrayList<>();
        for (int i = 2; i < args.length; i++) members.add(ModelArtifact.read(Path.of(args[i])));
        List<MultiLayerNetwork> nets = new ArrayList<>();
        Map<String, Double> metrics = new TreeMap<>();
        for (ModelArtifact a : members) {
            nets.add(a.network());
            a.metadata().validationMetrics().forEach((k, v) -> metrics.merge(k, v / members.size(), Double::sum));
        }
        MultiLayerNetwork net = ForecasterEnsemble.averageOf(nets, OutputHead.MEDIAN);
        ModelMetadata m = members.get(0).metadata();
        List<Integer> wide = new ArrayList<>();
        for (int n : m.hiddenSizes()) wide.add(n * members.size());
        ModelMetadata out = new ModelMetadata(m.formatVersion(), m.name(), args[0], m.cell(), m.shape(), wide,
                m.inputFeatures(), m.inputSize(), m.horizon(), m.outputSize(), m.window(), m.normalisation(),
                m.trainingDataFingerprint(), metrics, m.createdAt(), null, m.task(), m.classes(), m.outputSteps());
        ModelArtifact.of(net, out).write(Path.of(args[1]));
        System.out.println("wrote " + args[1] + ": " + members.size() + " members, LSTM " + wide + ", metrics " + metrics);
    }
}
