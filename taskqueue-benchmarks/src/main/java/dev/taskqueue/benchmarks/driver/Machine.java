package dev.taskqueue.benchmarks.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the machine is and how busy it is: load averages and resident memory from
 * {@code /proc}.
 */
final class Machine {

	private Machine() {
	}

	/**
	 * Return the first three fields of /proc/loadavg (1, 5 and 15 minutes), or "?" off
	 * Linux.
	 * @return the first three fields of /proc/loadavg (1, 5 and 15 minutes), or "?" off
	 * Linux
	 */
	static String loadavg() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException | RuntimeException ex) {
			return "?";
		}
	}

	/**
	 * Return the 1-minute load average, or NaN.
	 * @return the 1-minute load average, or NaN
	 */
	static double load1() {
		try {
			return Double.parseDouble(loadavg().split(" ")[0]);
		}
		catch (NumberFormatException ex) {
			return Double.NaN;
		}
	}

	/**
	 * Wait until the machine is nearly idle: a drain leaves RabbitMQ writing and
	 * collecting for a while after its last ack, and round trips measured in that wake
	 * are the broker's housekeeping, not the code under test.
	 * @param maxBusy the busy share of all CPUs over one second that counts as idle
	 * @param maxWaitSeconds the longest wait
	 * @return the seconds waited
	 * @throws InterruptedException if interrupted
	 */
	static int settle(double maxBusy, int maxWaitSeconds) throws InterruptedException {
		long[] before = cpuTicks();
		for (int waited = 1; waited <= maxWaitSeconds; waited++) {
			Thread.sleep(1000);
			long[] after = cpuTicks();
			long total = after[0] - before[0];
			if (total <= 0 || (double) (after[1] - before[1]) / total <= maxBusy) {
				return waited;
			}
			before = after;
		}
		return maxWaitSeconds;
	}

	/**
	 * Return total and busy jiffies of all CPUs (the first line of /proc/stat), or zeros.
	 * @return total and busy jiffies of all CPUs (the first line of /proc/stat), or zeros
	 */
	private static long[] cpuTicks() {
		try {
			String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long total = 0;
			for (int i = 1; i < fields.length; i++) {
				total += Long.parseLong(fields[i]);
			}
			// idle and iowait are fields 4 and 5
			long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
			return new long[] { total, total - idle };
		}
		catch (IOException | RuntimeException ex) {
			return new long[] { 0, 0 };
		}
	}

	/**
	 * The resident set size of a process (VmRSS).
	 * @param pid the process id
	 * @return the RSS in bytes, or -1 if unknown
	 */
	static long rss(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// gone or not Linux
		}
		return -1;
	}

	/**
	 * The summed RSS of a process and all its descendants (a prefork Celery worker and
	 * its pool). Pages shared between them are counted once per process, so this
	 * overstates what they use.
	 * @param process the process
	 * @return bytes, or -1 if unknown
	 */
	static long rssTree(ProcessHandle process) {
		long total = rss(process.pid());
		if (total < 0) {
			return -1;
		}
		for (ProcessHandle child : process.descendants().toList()) {
			long rss = rss(child.pid());
			if (rss > 0) {
				total += rss;
			}
		}
		return total;
	}

	/**
	 * Return what the machine is, for the report.
	 * @return what the machine is, for the report
	 */
	static Map<String, Object> describe() {
		Map<String, Object> info = new LinkedHashMap<>();
		info.put("cpus", Runtime.getRuntime().availableProcessors());
		info.put("cpuModel", firstValue("/proc/cpuinfo", "model name"));
		info.put("memTotal", firstValue("/proc/meminfo", "MemTotal"));
		info.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
				+ System.getProperty("os.arch"));
		info.put("prettyName", osRelease());
		info.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
		info.put("loadavgAtStart", loadavg());
		return info;
	}

	private static String firstValue(String file, String key) {
		try {
			List<String> lines = Files.readAllLines(Path.of(file));
			for (String line : lines) {
				if (line.startsWith(key)) {
					return line.substring(line.indexOf(':') + 1).trim();
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux
		}
		return "?";
	}

	private static String osRelease() {
		try {
			for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
				if (line.startsWith("PRETTY_NAME=")) {
					return line.substring("PRETTY_NAME=".length()).replace("\"", "");
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// no os-release
		}
		return "?";
	}

}
