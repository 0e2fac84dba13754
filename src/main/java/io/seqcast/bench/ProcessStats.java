package io.seqcast.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time, heap and resident memory of this process. */
public final class ProcessStats {

    private ProcessStats() {}

    /** CPU time of every thread of this process, in nanoseconds. */
    public static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    public static long heapUsedBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    public static long heapCommittedBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }

    /**
     * The JVM's native memory tracking summary ({@code jcmd <pid> VM.native_memory summary}, read in-process), or
     * null when the JVM was started without {@code -XX:NativeMemoryTracking=summary}.
     */
    public static String nativeMemorySummary() {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "vmNativeMemory",
                            new Object[] {new String[] {"summary"}},
                            new String[] {String[].class.getName()});
            String text = String.valueOf(out);
            return text.contains("Total:") ? text : null;
        } catch (javax.management.JMException e) {
            return null;
        }
    }

    /** Committed bytes of the "Total:" line of a native memory tracking summary; -1 when absent. */
    public static long nativeMemoryCommitted(String summary) {
        if (summary != null) {
            var m = java.util.regex.Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB")
                    .matcher(summary);
            if (m.find()) {
                return Long.parseLong(m.group(1)) * 1024;
            }
        }
        return -1;
    }

    /** Resident set size from {@code /proc/self/status}, or -1 where there is none. */
    public static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
