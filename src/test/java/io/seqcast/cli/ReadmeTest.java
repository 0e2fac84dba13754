package io.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration tables are the ones generated from the key declarations. */
class ReadmeTest {

    static final String BEGIN = "<!-- BEGIN GENERATED CONFIGURATION (./seqcast docs) -->\n";
    static final String END = "<!-- END GENERATED CONFIGURATION -->";

    @Test
    void shouldHoldTheGeneratedConfigurationTables() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "README.md lacks the generated configuration markers");
        assertEquals(
                DocsCommand.configurationSection(),
                readme.substring(begin + BEGIN.length(), end),
                "README configuration tables drifted from the declarations; regenerate with ./seqcast docs");
    }

    @Test
    void shouldHaveAQuickStartOfExactlyTheTwoCommands() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("## Quick start");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        long commands = section.lines().filter(l -> l.startsWith("./")).count();
        assertEquals(2, commands, "Quick start commands: " + section);
        assertTrue(section.contains("./seqcast demo") && section.contains("./mvnw verify"), section);
        String ci = Files.readString(Path.of(".ci/run"));
        assertTrue(ci.contains("./mvnw") && ci.contains("verify"), ".ci/run calls the README's test command");
    }
}
