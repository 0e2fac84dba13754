package io.seqcast.model;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The running {@link GruLayer}: forward pass, exact backpropagation through time (truncated if DL4J asks) and the
 * hidden state DL4J keeps for {@code rnnTimeStep} and between truncated-BPTT segments.
 *
 * <p>All arithmetic happens outside DL4J's workspaces on plain arrays; results are handed back through the
 * workspace manager. The hidden state of the last step is stored unmasked. With a feature mask the layer's output is
 * {@code h ⊙ mask} (as for DL4J's {@code SimpleRnn}) and the gradient is the exact gradient of that output.
 */
final class GruLayerImpl extends BaseRecurrentLayer<GruLayer> {

    /** Key of the previous output in DL4J's recurrent state maps. */
    static final String STATE_KEY = "prevAct";

    /** Initial state of the last training forward pass, replayed by backpropagation; null means zeros. */
    private INDArray trainingInitialState;

    GruLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Activations of every step, and the per-step values backpropagation needs (null unless requested). */
    private record Forward(
            INDArray out, INDArray last, INDArray[] hPrev, INDArray[] r, INDArray[] u, INDArray[] c, INDArray[] rh) {}

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        if (training) {
            trainingInitialState = null;
        }
        INDArray out;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            out = forward(null, false).out();
        }
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, out);
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        assertInputSet(false);
        INDArray out;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            Forward f = forward(stateMap.get(STATE_KEY), false);
            stateMap.put(STATE_KEY, f.last());
            out = f.out();
        }
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, out);
    }

    @Override
    public INDArray rnnActivateUsingStoredState(
            INDArray input, boolean training, boolean storeLastForTBPTT, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray initial = tBpttStateMap.get(STATE_KEY);
        if (training) {
            trainingInitialState = initial;
        }
        INDArray out;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            Forward f = forward(initial, false);
            if (storeLastForTBPTT) {
                tBpttStateMap.put(STATE_KEY, f.last());
            }
            out = f.out();
        }
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, out);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return tbpttBackpropGradient(epsilon, -1, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(
            INDArray epsilon, int tbpttBackLength, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray epsOut;
        INDArray wg = gradientViews.get(GruParamInitializer.WEIGHT_KEY);
        INDArray rwg = gradientViews.get(GruParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray bg = gradientViews.get(GruParamInitializer.BIAS_KEY);
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            Forward f = forward(trainingInitialState, true);
            INDArray w = getParam(GruParamInitializer.WEIGHT_KEY);
            INDArray rw = getParam(GruParamInitializer.RECURRENT_WEIGHT_KEY);
            long n = layerConf().getNOut();
            INDArray rwGatesT = rw.get(all(), interval(0, 2 * n)).transpose();
            INDArray rwCandidateT = rw.get(all(), interval(2 * n, 3 * n)).transpose();
            INDArray wT = w.transpose();
            INDArray x = input.castTo(w.dataType());
            INDArray eps = epsilon.castTo(w.dataType()).dup('f');
            if (maskArray != null) {
                Nd4j.getExecutioner().exec(new BroadcastMulOp(eps, maskArray.castTo(eps.dataType()), eps, 0, 2));
            }
            long steps = x.size(2);
            long end = tbpttBackLength > 0 ? Math.max(0, steps - tbpttBackLength) : 0;
            gradientsFlattened.assign(0);
            epsOut = Nd4j.zeros(w.dataType(), x.size(0), x.size(1), steps);
            INDArray rwgGates = rwg.get(all(), interval(0, 2 * n));
            INDArray rwgCandidate = rwg.get(all(), interval(2 * n, 3 * n));
            INDArray dhNext = null;
            for (long t = steps - 1; t >= end; t--) {
                int i = (int) t;
                INDArray dh = eps.get(all(), all(), point(t)).dup();
                if (dhNext != null) {
                    dh.addi(dhNext);
                }
                INDArray hp = f.hPrev()[i];
                INDArray r = f.r()[i];
                INDArray u = f.u()[i];
                INDArray c = f.c()[i];
                // h' = u h + (1 - u) c
                INDArray dhPrev = dh.mul(u);
                INDArray dzc = dh.mul(u.rsub(1.0)).muli(c.mul(c).rsubi(1.0));
                INDArray dzu = dh.mul(hp.sub(c)).muli(u).muli(u.rsub(1.0));
                // c = tanh(zx_c + (r h) RW_c)
                INDArray drh = dzc.mmul(rwCandidateT);
                dhPrev.addi(drh.mul(r));
                INDArray dzr = drh.mul(hp).muli(r).muli(r.rsub(1.0));
                INDArray dzGates = Nd4j.hstack(dzr, dzu);
                dhPrev.addi(dzGates.mmul(rwGatesT));
                INDArray dz = Nd4j.hstack(dzr, dzu, dzc);
                INDArray xt = x.get(all(), all(), point(t));
                wg.addi(xt.transpose().mmul(dz));
                bg.addi(dz.sum(0).reshape(bg.shape()));
                rwgGates.addi(hp.transpose().mmul(dzGates));
                rwgCandidate.addi(f.rh()[i].transpose().mmul(dzc));
                epsOut.get(all(), all(), point(t)).assign(dz.mmul(wT));
                dhNext = dhPrev;
            }
        }
        Gradient g = new DefaultGradient(gradientsFlattened);
        g.gradientForVariable().put(GruParamInitializer.WEIGHT_KEY, wg);
        g.gradientForVariable().put(GruParamInitializer.RECURRENT_WEIGHT_KEY, rwg);
        g.gradientForVariable().put(GruParamInitializer.BIAS_KEY, bg);
        epsOut = backpropDropOutIfPresent(epsOut);
        return new Pair<>(g, workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsOut.castTo(epsilon.dataType())));
    }

    /** Runs the layer over {@code input} from {@code initial} (null: zeros). */
    private Forward forward(INDArray initial, boolean keep) {
        INDArray w = getParam(GruParamInitializer.WEIGHT_KEY);
        INDArray rw = getParam(GruParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray b = getParam(GruParamInitializer.BIAS_KEY);
        INDArray x = input.rank() == 2 ? input.reshape(input.size(0), input.size(1), 1) : input;
        if (x.rank() != 3) {
            throw new IllegalStateException("GRU layer " + layerConf().getLayerName()
                    + " expects input [batch, features, time], got shape " + java.util.Arrays.toString(x.shape()));
        }
        x = x.castTo(w.dataType());
        long batch = x.size(0);
        long steps = x.size(2);
        long n = layerConf().getNOut();
        INDArray rwGates = rw.get(all(), interval(0, 2 * n));
        INDArray rwCandidate = rw.get(all(), interval(2 * n, 3 * n));
        INDArray bias = b.reshape(1, 3 * n);
        INDArray h = initial == null ? Nd4j.zeros(w.dataType(), batch, n) : initial.castTo(w.dataType());
        INDArray out = Nd4j.create(w.dataType(), new long[] {batch, n, steps}, 'f');
        int kept = keep ? (int) steps : 0;
        INDArray[] hPrev = new INDArray[kept];
        INDArray[] rs = new INDArray[kept];
        INDArray[] us = new INDArray[kept];
        INDArray[] cs = new INDArray[kept];
        INDArray[] rhs = new INDArray[kept];
        for (long t = 0; t < steps; t++) {
            INDArray z = x.get(all(), all(), point(t)).mmul(w).addiRowVector(bias); // [batch, 3n]
            INDArray gates = Transforms.sigmoid(z.get(all(), interval(0, 2 * n)).add(h.mmul(rwGates)), false);
            INDArray r = gates.get(all(), interval(0, n));
            INDArray u = gates.get(all(), interval(n, 2 * n));
            INDArray rh = r.mul(h);
            INDArray c = Transforms.tanh(z.get(all(), interval(2 * n, 3 * n)).add(rh.mmul(rwCandidate)), false);
            INDArray next = u.mul(h).addi(u.rsub(1.0).muli(c));
            out.get(all(), all(), point(t)).assign(next);
            if (keep) {
                int i = (int) t;
                hPrev[i] = h;
                rs[i] = r;
                us[i] = u;
                cs[i] = c;
                rhs[i] = rh;
            }
            h = next;
        }
        if (maskArray != null) {
            Nd4j.getExecutioner().exec(new BroadcastMulOp(out, maskArray.castTo(out.dataType()), out, 0, 2));
        }
        return new Forward(out, h, hPrev, rs, us, cs, rhs);
    }
}
