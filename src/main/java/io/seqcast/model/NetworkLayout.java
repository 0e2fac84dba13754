package io.seqcast.model;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.RepeatVector;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Reads the layout of a seqcast DL4J network (as {@code io.seqcast.training.Networks} builds it): recurrent layers of
 * one cell type, optionally a {@code RepeatVector} and a {@code LastTimeStep} wrapper, then an {@code RnnOutputLayer}.
 */
public final class NetworkLayout {

    private NetworkLayout() {}

    /**
     * What a seqcast network is: cell, recurrent widths (encoder then decoder), input and output sizes.
     *
     * @throws IllegalArgumentException naming the layer if the network has another layout
     */
    public static ModelInfo describe(MultiLayerNetwork net, String name, String version) {
        CellType cell = null;
        List<Integer> hidden = new ArrayList<>();
        long inputSize = -1;
        int layers = net.getnLayers();
        for (int i = 0; i < layers - 1; i++) {
            Layer conf = net.getLayer(i).conf().getLayer();
            if (conf instanceof LastTimeStep last) {
                conf = last.getUnderlying();
            }
            if (conf instanceof RepeatVector repeat) {
                if (inputSize < 0) {
                    inputSize = repeat.getNIn();
                }
                continue;
            }
            CellType layerCell;
            long nIn;
            long nOut;
            if (conf instanceof GruLayer g) {
                layerCell = CellType.GRU;
                nIn = g.getNIn();
                nOut = g.getNOut();
            } else if (conf instanceof LSTM l) {
                layerCell = CellType.LSTM;
                nIn = l.getNIn();
                nOut = l.getNOut();
            } else if (conf instanceof SimpleRnn r) {
                layerCell = CellType.RNN;
                nIn = r.getNIn();
                nOut = r.getNOut();
            } else {
                throw new IllegalArgumentException(
                        "layer " + i + " is " + conf.getClass().getSimpleName()
                                + "; a seqcast network has SimpleRnn, LSTM or GRU layers (build it with Networks)");
            }
            if (cell != null && cell != layerCell) {
                throw new IllegalArgumentException(
                        "layer " + i + " is " + layerCell + " but the first recurrent layer is " + cell);
            }
            cell = layerCell;
            if (inputSize < 0) {
                inputSize = nIn;
            }
            hidden.add((int) nOut);
        }
        Layer out = net.getLayer(layers - 1).conf().getLayer();
        if (cell == null || !(out instanceof RnnOutputLayer ol)) {
            throw new IllegalArgumentException("network of " + layers + " layers has no recurrent layer or does not end"
                    + " in an RnnOutputLayer (build it with Networks)");
        }
        return new ModelInfo(name, version, cell, hidden, (int) inputSize, (int) ol.getNOut());
    }
}
