package io.seqcast.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Validates raw text settings against a Kafka {@link ConfigDef}: every key is declared once there (type, default,
 * validator, documentation). Unlike {@link ConfigDef#parse}, which stops at the first error, this collects every
 * problem, names the key, and proposes a fix built from the key's own documentation.
 */
public final class Settings {

    private Settings() {}

    /**
     * Parses {@code raw} against {@code def}.
     *
     * @param passThroughPrefixes keys starting with one of these are not declared here and are kept as text
     * @param problems where problems are added; the returned map is meaningful only if none were
     */
    public static Map<String, Object> parse(
            ConfigDef def,
            Map<String, String> raw,
            String source,
            Set<String> passThroughPrefixes,
            List<ConfigProblem> problems) {
        Map<String, String> declared = new HashMap<>();
        for (var e : raw.entrySet()) {
            String key = e.getKey();
            if (def.configKeys().containsKey(key)) {
                declared.put(key, e.getValue());
            } else if (passThroughPrefixes.stream().noneMatch(key::startsWith)) {
                problems.add(new ConfigProblem(source, key, "unknown key.", suggestion(def, key)));
            }
        }
        Map<String, Object> parsed = new HashMap<>();
        for (ConfigValue value : def.validate(declared)) {
            ConfigDef.ConfigKey key = def.configKeys().get(value.name());
            if (!value.errorMessages().isEmpty()) {
                String given = declared.get(value.name());
                String problem = given == null
                        ? "is required and not set."
                        : "invalid value '" + given + "': " + String.join("; ", value.errorMessages()) + ".";
                problems.add(new ConfigProblem(source, value.name(), problem, fix(key)));
            } else {
                parsed.put(value.name(), value.value());
            }
        }
        return parsed;
    }

    /** Fix text for a key: its documentation, its valid values, and its default. */
    public static String fix(ConfigDef.ConfigKey key) {
        StringBuilder fix =
                new StringBuilder("set ").append(key.name).append(": ").append(key.documentation);
        if (key.validator != null && !key.validator.toString().isEmpty()) {
            fix.append(" Valid values: ").append(key.validator).append('.');
        }
        if (key.hasDefault() && key.defaultValue != null) {
            fix.append(" Default: ").append(key.defaultValue).append('.');
        }
        return fix.toString();
    }

    private static String suggestion(ConfigDef def, String key) {
        String closest = def.configKeys().keySet().stream()
                .min(Comparator.comparingInt(k -> distance(k, key)))
                .orElse(null);
        if (closest != null && distance(closest, key) <= Math.max(2, key.length() / 4)) {
            return "did you mean '" + closest + "'?";
        }
        return "remove it; known keys: "
                + String.join(", ", new ArrayList<>(def.configKeys().keySet())) + ".";
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** A Markdown table of the keys of {@code def}: key, type, default, valid values, description. */
    public static String markdownTable(ConfigDef def) {
        StringBuilder md = new StringBuilder("| key | type | default | valid values | description |\n");
        md.append("|---|---|---|---|---|\n");
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            String dflt = !key.hasDefault()
                    ? "(required)"
                    : key.defaultValue == null ? "(not set)" : "`" + key.defaultValue + "`";
            String valid = key.validator == null ? "" : key.validator.toString().replace("|", "\\|");
            md.append("| `")
                    .append(key.name)
                    .append("` | ")
                    .append(key.type.name().toLowerCase(java.util.Locale.ROOT))
                    .append(" | ")
                    .append(dflt)
                    .append(" | ")
                    .append(valid)
                    .append(" | ")
                    .append(key.documentation.replace("|", "\\|"))
                    .append(" |\n");
        }
        return md.toString();
    }
}
