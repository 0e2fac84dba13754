package io.seqcast.classify;

import java.util.List;

/**
 * The beat classes of ANSI/AAMI EC57 that heartbeat classifiers are measured in, from MIT-BIH beat annotations: N
 * (normal and bundle branch block: N L R e j), S (supraventricular ectopic: A a J S), V (ventricular ectopic: V E), F
 * (fusion of ventricular and normal: F), Q (paced or unclassifiable: / f Q). Normal vs abnormal: N vs the rest.
 */
public enum AamiClass {
    N,
    S,
    V,
    F,
    Q;

    /** Class names in the classifier's output order. */
    public static final List<String> NAMES = List.of("N", "S", "V", "F", "Q");

    public static final String NORMAL = "normal";
    public static final String ABNORMAL = "abnormal";

    /** The class of a beat annotation symbol, or null for a symbol that is not a beat of any class. */
    public static AamiClass of(String symbol) {
        return switch (symbol) {
            case "N", "L", "R", "e", "j" -> N;
            case "A", "a", "J", "S" -> S;
            case "V", "E" -> V;
            case "F" -> F;
            case "/", "f", "Q" -> Q;
            default -> null;
        };
    }

    /** Whether the class counts as abnormal in normal-vs-abnormal figures. */
    public boolean abnormal() {
        return this != N;
    }
}
