package io.seqcast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The operator files hold together: every alert rule has a runbook section in the README and a firing case in the
 * promtool tests (which {@code .ci/checks/prometheus-dashboards.sh} runs); every dashboard picks its data source and
 * scrape job by variables, so that it imports into an existing Grafana.
 */
class OperatorFilesTest {

    static final YAMLMapper YAML = new YAMLMapper();

    static List<JsonNode> rules() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode group :
                YAML.readTree(Path.of("prometheus/rules.yml").toFile()).get("groups")) {
            group.get("rules").forEach(out::add);
        }
        return out;
    }

    /** GitHub's anchor of a Markdown heading: lower case, spaces to dashes, punctuation other than - and _ dropped. */
    static String anchor(String heading) {
        return heading.trim()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }

    @Test
    void shouldGiveEveryAlertRuleARunbookSectionOfTheReadme() throws IOException {
        Set<String> anchors = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^#{1,6} (.+)$").matcher(Files.readString(Path.of("README.md")));
        while (m.find()) {
            anchors.add(anchor(m.group(1)));
        }
        List<JsonNode> rules = rules();
        assertEquals(7, rules.size(), "rules in prometheus/rules.yml");
        for (JsonNode rule : rules) {
            String alert = rule.get("alert").asText();
            JsonNode url = rule.path("annotations").path("runbook_url");
            assertTrue(url.isTextual(), alert + " has no runbook_url annotation");
            assertTrue(url.asText().startsWith("README.md#"), alert + ": " + url);
            String target = url.asText().substring("README.md#".length());
            assertEquals(alert.toLowerCase(Locale.ROOT), target, alert + "'s runbook is its own section");
            assertTrue(anchors.contains(target), alert + ": README.md has no heading with anchor #" + target);
        }
    }

    @Test
    void shouldTestEveryAlertRuleFiringWithPromtool() throws IOException {
        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (JsonNode test :
                YAML.readTree(Path.of("prometheus/rules.test.yml").toFile()).get("tests")) {
            for (JsonNode t : test.path("alert_rule_test")) {
                (t.path("exp_alerts").isEmpty() ? quiet : firing)
                        .add(t.get("alertname").asText());
            }
        }
        Set<String> all = new TreeSet<>();
        for (JsonNode rule : rules()) {
            all.add(rule.get("alert").asText());
        }
        assertEquals(all, firing, "rules with a firing case in prometheus/rules.test.yml");
        assertTrue(all.containsAll(quiet), "tests name a rule that does not exist: " + quiet);
    }

    @Test
    void shouldPickTheDataSourceAndTheJobByVariablesInEveryDashboard() throws IOException {
        List<Path> dashboards;
        try (Stream<Path> files = Files.list(Path.of("grafana/dashboards"))) {
            dashboards =
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertEquals(3, dashboards.size());
        Pattern selector = Pattern.compile("\\b(seqcast_\\w+|kafka_\\w+|jvm_\\w+|process_\\w+|up)\\b(\\{[^}]*\\})?");
        for (Path path : dashboards) {
            String text = Files.readString(path);
            JsonNode d = new ObjectMapper().readTree(text);
            Set<String> variables = new TreeSet<>();
            d.path("templating")
                    .path("list")
                    .forEach(v -> variables.add(
                            v.get("name").asText() + ":" + v.get("type").asText()));
            assertTrue(variables.containsAll(Set.of("datasource:datasource", "job:query")), path + ": " + variables);
            List<String> datasources = new ArrayList<>();
            d.findValues("datasource")
                    .forEach(ds -> datasources.add(ds.path("uid").asText(ds.asText())));
            assertTrue(
                    datasources.stream().allMatch("${datasource}"::equals),
                    path + " names a data source: " + datasources);
            assertTrue(!text.contains("job=\\\"seqcast\\\""), path + " hard-codes job=\"seqcast\"");
            for (JsonNode expr : d.findValues("expr")) {
                Matcher s = selector.matcher(expr.asText());
                while (s.find()) {
                    assertTrue(
                            s.group(2) != null && s.group(2).contains("job=~\"$job\""),
                            path.getFileName() + ": " + s.group() + " in " + expr.asText() + " ignores $job");
                }
            }
        }
    }
}
