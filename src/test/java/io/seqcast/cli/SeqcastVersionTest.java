package io.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code seqcast --version} prints the release the build made, the project version of pom.xml. */
class SeqcastVersionTest {

    @Test
    void shouldPrintTheProjectVersion() throws Exception {
        Matcher m = Pattern.compile("<artifactId>seqcast</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find(), "pom.xml has no project version");
        StringWriter out = new StringWriter();
        var cli = SeqcastCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("--version"));
        assertEquals("seqcast " + m.group(1), out.toString().trim());
    }
}
