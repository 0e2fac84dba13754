package io.seqcast.forecast;

import io.seqcast.config.PipelineConfig.ModelRoute;
import io.seqcast.model.SequenceModel;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A pipeline's {@code model.routes} with their models: which model serves a series. The first route that matches a
 * series serves it (by its key: a glob or a regular expression over the whole key; or by a tag of the observation
 * given); a series no route matches is served by the pipeline's default model ({@code model.artifact}, hot-swappable).
 * Resolving matches patterns: callers resolve a series once and keep the answer (see {@code SeriesProcessor}).
 *
 * <p>The models are shared: a caller that steps one copies it ({@link SequenceModel#copy}).
 */
public final class ModelRoutes {

    /** No routes: every series is served by the default model. */
    public static final ModelRoutes NONE = new ModelRoutes(List.of(), List.of());

    /** {@link #resolve} of a series no route matches. */
    public static final int DEFAULT = -1;

    private final List<ModelRoute> routes;
    private final List<SequenceModel> models;
    private final Pattern[] keys;

    /**
     * @param routes the routes, in the pipeline file's order
     * @param models the model of each route, in the same order
     * @throws IllegalArgumentException when the lists differ in length or a pattern does not compile
     */
    public ModelRoutes(List<ModelRoute> routes, List<SequenceModel> models) {
        if (routes.size() != models.size()) {
            throw new IllegalArgumentException(routes.size() + " routes but " + models.size() + " models");
        }
        this.routes = List.copyOf(routes);
        this.models = List.copyOf(models);
        this.keys = new Pattern[routes.size()];
        for (int i = 0; i < keys.length; i++) {
            ModelRoute r = routes.get(i);
            if (r.seriesGlob() != null) {
                keys[i] = Pattern.compile(globToRegex(r.seriesGlob()));
            } else if (r.seriesRegex() != null) {
                keys[i] = Pattern.compile(r.seriesRegex());
            }
        }
    }

    /** Whether there are no routes. */
    public boolean isEmpty() {
        return routes.isEmpty();
    }

    /** How many routes there are. */
    public int size() {
        return routes.size();
    }

    /** The route at {@code index}. */
    public ModelRoute route(int index) {
        return routes.get(index);
    }

    /** The model of the route at {@code index} (shared: copy it to step it). */
    public SequenceModel model(int index) {
        return models.get(index);
    }

    /**
     * The index of the first route matching {@code series} (whose observation carries {@code tags}), or
     * {@link #DEFAULT}.
     */
    public int resolve(String series, Map<String, String> tags) {
        for (int i = 0; i < keys.length; i++) {
            ModelRoute r = routes.get(i);
            boolean match = keys[i] != null
                    ? keys[i].matcher(series).matches()
                    : r.tagValue().equals(tags.get(r.tagKey()));
            if (match) {
                return i;
            }
        }
        return DEFAULT;
    }

    /** The regular expression of a glob: {@code *} any characters, {@code ?} one, everything else literal. */
    static String globToRegex(String glob) {
        StringBuilder b = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    b.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                b.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            b.append(Pattern.quote(literal.toString()));
        }
        return b.toString();
    }
}
