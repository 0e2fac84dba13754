package io.seqcast.bench;

import io.seqcast.model.CellType;
import io.seqcast.training.NetworkSpec;
import io.seqcast.training.Networks;
import java.io.PrintWriter;
import java.util.List;

/** Ad-hoc probe: java -cp ... io.seqcast.bench.StepProbe */
public final class StepProbe {
    public static void main(String[] a) {
        var net = Networks.build(NetworkSpec.of(CellType.LSTM, List.of(64, 64), 1, 6, 1));
        PrintWriter out = new PrintWriter(System.out, true);
        var res = ModelStepBench.run(ModelStepBench.candidates(net, 10_000, 256, a.length > 0), 3, 500, out);
        res.forEach(r -> out.println(r.name() + " " + r.keyStepsPerSecond().format(" key-steps/s") + " "
                + String.format("%.2f us", r.microsPerKeyStep())));
    }
}
