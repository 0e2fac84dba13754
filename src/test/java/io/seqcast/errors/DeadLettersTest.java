package io.seqcast.errors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    private static final int LIMIT = 1_048_576;

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static Headers refused(Headers original) {
        return DeadLetters.headers(original, "p", Reason.UNPARSEABLE, "not JSON: " + "x".repeat(200), null);
    }

    @Test
    void shouldKeepARecordThatFitsUntouched() {
        byte[] key = "s1".getBytes(StandardCharsets.UTF_8);
        byte[] value = bytes(1000, 1);
        Headers headers = refused(new RecordHeaders());
        DeadLetters.DeadLetter d = DeadLetters.fit(key, value, headers, LIMIT);
        assertSame(headers, d.headers());
        assertSame(value, d.value());
    }

    @Test
    void shouldCutTheValueOfARecordAtTheLimitAndKeepItsSizeAndDigest() {
        byte[] key = "s1".getBytes(StandardCharsets.UTF_8);
        byte[] value = bytes(1_048_400, 2);
        Headers original = new RecordHeaders().add("trace", "abc".getBytes(StandardCharsets.UTF_8));
        DeadLetters.DeadLetter d = DeadLetters.fit(key, value, refused(original), LIMIT);
        assertTrue(DeadLetters.sizeUpperBound(d.key(), d.value(), d.headers()) <= LIMIT);
        assertArrayEquals(key, d.key());
        assertTrue(d.value().length > 1_040_000, "as much of the value as fits: " + d.value().length);
        assertArrayEquals(Arrays.copyOf(value, d.value().length), d.value(), "a prefix of the original");
        assertEquals("value", DeadLetters.header(d.headers(), DeadLetters.TRUNCATED));
        assertEquals("1048400", DeadLetters.header(d.headers(), DeadLetters.VALUE_SIZE));
        assertEquals(DeadLetters.sha256(value), DeadLetters.header(d.headers(), DeadLetters.VALUE_SHA256));
        assertEquals("abc", DeadLetters.header(d.headers(), "trace"), "original headers kept");
        assertEquals("unparseable", DeadLetters.header(d.headers(), DeadLetters.REASON));
    }

    @Test
    void shouldCutKeyAndDropOriginalHeadersWhenTheyAloneAreTooLarge() {
        byte[] key = bytes(40_000, 3);
        Headers original = new RecordHeaders();
        for (int i = 0; i < 10; i++) {
            original.add("h" + i, bytes(10_000, 10 + i));
        }
        DeadLetters.DeadLetter d = DeadLetters.fit(key, bytes(50_000, 4), refused(original), 64 * 1024);
        assertTrue(DeadLetters.sizeUpperBound(d.key(), d.value(), d.headers()) <= 64 * 1024);
        assertEquals(0, d.value().length);
        assertEquals("40000", DeadLetters.header(d.headers(), DeadLetters.KEY_SIZE));
        assertEquals(DeadLetters.sha256(key), DeadLetters.header(d.headers(), DeadLetters.KEY_SHA256));
        assertEquals("value,key,headers", DeadLetters.header(d.headers(), DeadLetters.TRUNCATED));
        assertNull(DeadLetters.header(d.headers(), "h9"), "the newest original headers go first");
        assertEquals("unparseable", DeadLetters.header(d.headers(), DeadLetters.REASON), "the reason is kept");
    }

    @Test
    void shouldLowerALimitAfterARefusalAndNeverRaiseIt() {
        DeadLetterLimits limits = DeadLetterLimits.defaults().set("dlq", 500_000);
        assertEquals(500_000, limits.maxBytes("dlq"));
        assertEquals(DeadLetterLimits.FALLBACK, limits.lower("dlq", 400_000));
        assertEquals(30_000, limits.lower("dlq", 40_000));
        assertEquals(30_000, limits.lower("dlq", 1_000_000));
        assertEquals(DeadLetterLimits.PRODUCER_DEFAULT, limits.maxBytes("other"));
    }
}
