package io.seqcast.event;

import io.seqcast.errors.InvalidRecordException;
import io.seqcast.errors.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Event times as text, on the per-record path: read from an observation's time field and written into every forecast
 * and alert. The common form {@code yyyy-MM-ddTHH:mm:ss[.SSS]Z} is read and written without java.time's formatter,
 * to the character what {@link Instant} reads and writes (checked by {@code TimeTextTest}).
 */
public final class TimeText {

    private static final DateTimeFormatter SPACE_SEPARATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]");

    private TimeText() {}

    /**
     * Parses an event time: ISO-8601 instant or offset date-time, a local date-time (with 'T' or a space; read as
     * UTC), or a date (midnight UTC).
     */
    public static long parse(String text) throws InvalidRecordException {
        long fast = parseUtcInstant(text);
        if (fast != NOT_FAST) {
            return fast;
        }
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text)
                        .atStartOfDay()
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli();
            }
            if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            }
            if (text.length() > 10 && text.charAt(10) == ' ') {
                return LocalDateTime.parse(text, SPACE_SEPARATED)
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli();
            }
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InvalidRecordException(
                    Reason.INVALID_FIELD,
                    "time '" + ObservationParser.abbreviate(text)
                            + "' is not ISO-8601 (2014-07-01T00:00:00Z), 'yyyy-MM-dd HH:mm:ss'" + " (UTC) or a date");
        }
    }

    /** Formats epoch milliseconds as an ISO-8601 UTC instant: {@link Instant#toString()}'s text. */
    public static String format(long epochMillis) {
        byte[] c = new byte[MAX_FAST_LENGTH];
        int end = formatInto(c, 0, epochMillis);
        if (end < 0) {
            return Instant.ofEpochMilli(epochMillis).toString();
        }
        return new String(c, 0, end, StandardCharsets.ISO_8859_1);
    }

    /** The most bytes {@link #formatInto} writes. */
    static final int MAX_FAST_LENGTH = 24;

    /**
     * Writes {@link #format}'s text, as ASCII bytes, into {@code c} from {@code at} (at least {@link #MAX_FAST_LENGTH}
     * bytes from there) for the years 1 to 9999, and returns where it ends; -1, writing nothing, for any other year.
     */
    static int formatInto(byte[] c, int at, long epochMillis) {
        long day = Math.floorDiv(epochMillis, 86_400_000L);
        if (day < FIRST_DAY || day > LAST_DAY) {
            return -1;
        }
        // every forecast and alert carries a time or two: written here rather than by DateTimeFormatter, the same text
        LocalDate date = LocalDate.ofEpochDay(day);
        int ms = (int) Math.floorMod(epochMillis, 86_400_000L);
        int milli = ms % 1000;
        digits(c, at, date.getYear(), 4);
        c[at + 4] = '-';
        digits(c, at + 5, date.getMonthValue(), 2);
        c[at + 7] = '-';
        digits(c, at + 8, date.getDayOfMonth(), 2);
        c[at + 10] = 'T';
        digits(c, at + 11, ms / 3_600_000, 2);
        c[at + 13] = ':';
        digits(c, at + 14, ms / 60_000 % 60, 2);
        c[at + 16] = ':';
        digits(c, at + 17, ms / 1000 % 60, 2);
        int end = at + 19;
        if (milli != 0) {
            c[end] = '.';
            digits(c, end + 1, milli, 3);
            end += 4;
        }
        c[end++] = 'Z';
        return end;
    }

    /** Days since the epoch of 0001-01-01 and 9999-12-31: the years {@link #format} writes itself. */
    private static final long FIRST_DAY = LocalDate.of(1, 1, 1).toEpochDay();

    private static final long LAST_DAY = LocalDate.of(9999, 12, 31).toEpochDay();
    /** {@link #parseUtcInstant}: not of the one form it reads. */
    private static final long NOT_FAST = Long.MIN_VALUE;

    private static void digits(byte[] c, int at, int v, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
    }

    /**
     * The common form {@code yyyy-MM-ddTHH:mm:ss[.SSS]Z} (what seqcast and most producers write) read without
     * java.time's parser, which the per-record path cannot afford; {@link #NOT_FAST} for anything else (any other
     * form, or a field out of range), which {@link #parse} then reads, or refuses, the general way.
     */
    private static long parseUtcInstant(String t) {
        int n = t.length();
        if ((n != 20 && n != 24)
                || t.charAt(n - 1) != 'Z'
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || t.charAt(10) != 'T'
                || t.charAt(13) != ':'
                || t.charAt(16) != ':'
                || (n == 24 && t.charAt(19) != '.')) {
            return NOT_FAST;
        }
        int year = number(t, 0, 4);
        int month = number(t, 5, 2);
        int day = number(t, 8, 2);
        int hour = number(t, 11, 2);
        int minute = number(t, 14, 2);
        int second = number(t, 17, 2);
        int milli = n == 24 ? number(t, 20, 3) : 0;
        if (year < 1
                || month < 1
                || month > 12
                || day < 1
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || milli < 0
                || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return NOT_FAST;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return epochDay * 86_400_000L + hour * 3_600_000L + minute * 60_000L + second * 1000L + milli;
    }

    /** The decimal number of {@code width} ASCII digits at {@code at}; negative if any is not a digit. */
    private static int number(String t, int at, int width) {
        int v = 0;
        for (int i = at; i < at + width; i++) {
            int d = t.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }
}
