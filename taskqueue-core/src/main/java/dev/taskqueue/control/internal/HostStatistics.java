package dev.taskqueue.control.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What Celery reports about its host and process, read the way Python reads it on Linux
 * ({@code /proc}): the load average of {@code worker-heartbeat} and the {@code getrusage}
 * figures of {@code stats}. Elsewhere the figures Celery could not read either: zeros and
 * {@code "N/A"}.
 */
public final class HostStatistics {

	private static final Path LOADAVG = Path.of("/proc/loadavg");

	private static final Path STAT = Path.of("/proc/self/stat");

	private static final Path STATUS = Path.of("/proc/self/status");

	private static final Path IO = Path.of("/proc/self/io");

	/** Linux's {@code USER_HZ}, the unit of {@code /proc/self/stat}'s times. */
	private static final double CLOCK_TICKS = 100.0;

	private HostStatistics() {
	}

	/**
	 * The 1, 5 and 15 minute load averages, each rounded up to two decimals as Celery's
	 * {@code load_average()} does; zeros where they cannot be read.
	 * @return three numbers
	 */
	public static List<Double> loadAverage() {
		String text = read(LOADAVG);
		if (text != null) {
			String[] parts = text.trim().split("\\s+");
			if (parts.length >= 3) {
				try {
					return List.of(up(Double.parseDouble(parts[0])), up(Double.parseDouble(parts[1])),
							up(Double.parseDouble(parts[2])));
				}
				catch (NumberFormatException ex) {
					// fall through
				}
			}
		}
		return List.of(0.0, 0.0, 0.0);
	}

	private static double up(double value) {
		return Math.ceil(value * 100) / 100;
	}

	/**
	 * This process's resource usage with the fields of Python's
	 * {@code resource.getrusage(RUSAGE_SELF)}: CPU seconds in user and system mode,
	 * {@code maxrss} in kilobytes, page faults, block I/O and context switches; the
	 * fields Linux does not fill are 0.
	 * @return the figures, or {@code "N/A"} where {@code /proc} cannot be read
	 */
	public static Object rusage() {
		String stat = read(STAT);
		String status = read(STATUS);
		if (stat == null || status == null) {
			return "N/A";
		}
		// Fields after the command name, which may hold spaces, in parentheses.
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
		Map<String, Object> usage = new LinkedHashMap<>();
		usage.put("utime", number(fields, 11) / CLOCK_TICKS);
		usage.put("stime", number(fields, 12) / CLOCK_TICKS);
		usage.put("maxrss", firstNumber(status, "VmHWM:"));
		usage.put("ixrss", 0);
		usage.put("idrss", 0);
		usage.put("isrss", 0);
		usage.put("minflt", (long) number(fields, 7));
		usage.put("majflt", (long) number(fields, 9));
		usage.put("nswap", 0);
		String io = read(IO);
		usage.put("inblock", (io != null) ? firstNumber(io, "read_bytes:") / 512 : 0);
		usage.put("oublock", (io != null) ? firstNumber(io, "write_bytes:") / 512 : 0);
		usage.put("msgsnd", 0);
		usage.put("msgrcv", 0);
		usage.put("nsignals", 0);
		usage.put("nvcsw", firstNumber(status, "voluntary_ctxt_switches:"));
		usage.put("nivcsw", firstNumber(status, "nonvoluntary_ctxt_switches:"));
		return usage;
	}

	private static double number(String[] fields, int index) {
		try {
			return (index < fields.length) ? Double.parseDouble(fields[index]) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/** The first number after a label ({@code VmHWM:  51040 kB} gives 51040). */
	private static long firstNumber(String text, String label) {
		int at = text.indexOf(label);
		if (at < 0) {
			return 0;
		}
		String rest = text.substring(at + label.length()).trim();
		int end = 0;
		while (end < rest.length() && Character.isDigit(rest.charAt(end))) {
			end++;
		}
		return (end > 0) ? Long.parseLong(rest.substring(0, end)) : 0;
	}

	private static @Nullable String read(Path path) {
		try {
			return Files.readString(path, StandardCharsets.US_ASCII);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

}
