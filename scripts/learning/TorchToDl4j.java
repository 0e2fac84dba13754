// Research (not shipped): loads the DL4J-layout arrays written by torch_to_dl4j.py into the network of a seqcast
// artifact of the same architecture (e.g. models/lstm-ecg.seqcast), checks DL4J's forward pass against PyTorch's on
// the reference input, and writes a new artifact with the same metadata.
// java -cp 'target/seqcast.jar:target/lib/*' scripts/learning/TorchToDl4j.java ARRAYS.txt TEMPLATE.seqcast OUT.seqcast
import io.seqcast.model.ModelArtifact;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

public class TorchToDl4j {
    public static void main(String[] args) throws Exception {
        ModelArtifact template = ModelArtifact.read(Path.of(args[1]));
        MultiLayerNetwork net = template.network();
        INDArray input = null, expected = null;
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] f = line.split(" ");
            int layer = Integer.parseInt(f[0]);
            int rows = Integer.parseInt(f[2]), cols = Integer.parseInt(f[3]);
            float[] v = new float[rows * cols];
            for (int i = 0; i < v.length; i++) v[i] = Float.parseFloat(f[4 + i]);
            INDArray a = Nd4j.create(v, new long[] {rows, cols}, 'c');
            if (layer < 0) {
                if (f[1].equals("input")) input = a; else expected = a;
                continue;
            }
            INDArray old = net.getLayer(layer).getParam(f[1]);
            if (old.rank() == 1) a = a.reshape(old.shape());
            if (!java.util.Arrays.equals(old.shape(), a.shape()))
                throw new IllegalStateException("layer " + layer + " " + f[1] + " shape " + java.util.Arrays.toString(old.shape()) + " vs " + java.util.Arrays.toString(a.shape()));
            net.getLayer(layer).setParam(f[1], a);
        }
        // [T, k] -> [1, k, T]
        INDArray x = input.transpose().reshape(1, input.columns(), input.rows());
        net.rnnClearPreviousState();
        INDArray out = net.output(x); // [1, H, T]
        INDArray got = out.reshape(out.size(1), out.size(2)).transpose();
        double maxDiff = got.sub(expected).norm1Number().doubleValue() / expected.length();
        double maxAbs = Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.reduce.same.AMax(got.sub(expected))).getDouble(0);
        System.out.println("mean |dl4j - torch| " + maxDiff + ", max " + maxAbs + " over " + expected.length());
        ModelArtifact.of(net, template.metadata()).write(Path.of(args[2]));
        System.out.println("wrote " + args[2]);
    }
}
