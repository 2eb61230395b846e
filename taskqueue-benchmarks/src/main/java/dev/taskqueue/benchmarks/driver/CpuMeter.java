package dev.taskqueue.benchmarks.driver;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CPU time spent by the processes of a measurement — the process under test, the driver,
 * RabbitMQ and Redis — read from {@code /proc/<pid>/stat} (user + system, descendants
 * included), so a figure can say how many microseconds of CPU each task cost and where.
 * On a machine whose CPUs they all share, that bounds the rate more honestly than the
 * rate alone.
 */
final class CpuMeter {

	private static final double TICKS_PER_SECOND = 100.0;

	private final Map<String, ProcessHandle> processes = new LinkedHashMap<>();

	private final Map<String, Boolean> withDescendants = new LinkedHashMap<>();

	private CpuMeter() {
	}

	/**
	 * A meter of the given process (with its descendants), the driver (without), and the
	 * broker and Redis when they run here.
	 * @param name the name of the process under test
	 * @param process the process under test
	 * @param options where the broker and Redis listen
	 * @return the meter
	 */
	static CpuMeter of(String name, ProcessHandle process, Options options) {
		CpuMeter meter = new CpuMeter();
		meter.add(name, process, true);
		// The driver alone: the processes under test are its children.
		meter.add("driver", ProcessHandle.current(), false);
		find("beam.smp", options.rabbitPort).ifPresent((p) -> meter.add("rabbitmq", p, false));
		find("redis-server", options.redisPort).ifPresent((p) -> meter.add("redis", p, false));
		return meter;
	}

	/**
	 * A meter of the driver alone and the broker when it runs here, for a benchmark that
	 * runs in the driver's own process.
	 * @param rabbitPort the port the broker listens on
	 * @return the meter
	 */
	static CpuMeter ofDriverAndBroker(int rabbitPort) {
		CpuMeter meter = new CpuMeter();
		meter.add("driver", ProcessHandle.current(), false);
		find("beam.smp", rabbitPort).ifPresent((p) -> meter.add("rabbitmq", p, false));
		return meter;
	}

	private void add(String name, ProcessHandle process, boolean descendants) {
		this.processes.put(name, process);
		this.withDescendants.put(name, descendants);
	}

	/**
	 * The process of that name (/proc/<pid>/comm: redis-server's executable may be
	 * another name) that listens on the port: other brokers and Redis servers may run
	 * beside the ones measured (test suites start private ones). The first of that name
	 * if no listener can be seen.
	 */
	static Optional<ProcessHandle> find(String name, int port) {
		Set<String> sockets = listeningSockets(port);
		List<ProcessHandle> named = ProcessHandle.allProcesses().filter((p) -> name.equals(comm(p.pid()))).toList();
		for (ProcessHandle process : named) {
			if (holdsAny(process.pid(), sockets)) {
				return Optional.of(process);
			}
		}
		return named.stream().findFirst();
	}

	/**
	 * The {@code socket:[inode]} links of the sockets listening on a TCP port, from
	 * /proc/net.
	 */
	private static Set<String> listeningSockets(int port) {
		Set<String> sockets = new HashSet<>();
		String hexPort = String.format(":%04X", port);
		for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			try {
				for (String line : Files.readAllLines(Path.of(table))) {
					String[] fields = line.trim().split("\\s+");
					// local_address is field 1, state field 3 (0A: LISTEN), inode field
					// 9.
					if (fields.length > 9 && fields[1].endsWith(hexPort) && "0A".equals(fields[3])) {
						sockets.add("socket:[" + fields[9] + "]");
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				// No such table here (no IPv6): the other one may have it.
			}
		}
		return sockets;
	}

	private static boolean holdsAny(long pid, Set<String> sockets) {
		if (sockets.isEmpty()) {
			return false;
		}
		try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
			for (Path fd : fds) {
				try {
					if (sockets.contains(Files.readSymbolicLink(fd).toString())) {
						return true;
					}
				}
				catch (IOException | RuntimeException ex) {
					// Closed meanwhile.
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
		return false;
	}

	private static String comm(long pid) {
		try {
			return Files.readString(Path.of("/proc/" + pid + "/comm")).trim();
		}
		catch (IOException | RuntimeException ex) {
			return "";
		}
	}

	/**
	 * Return the CPU seconds of every process now.
	 * @return the CPU seconds of every process now
	 */
	Map<String, Double> snapshot() {
		Map<String, Double> seconds = new LinkedHashMap<>();
		this.processes
			.forEach((name, process) -> seconds.put(name, cpuSeconds(process, this.withDescendants.get(name))));
		return seconds;
	}

	/**
	 * CPU microseconds per task of each process between two snapshots.
	 * @param before the first snapshot
	 * @param after the second
	 * @param tasks how many tasks ran between them
	 * @return microseconds per task by process, and their "total"
	 */
	static Map<String, Double> perTask(Map<String, Double> before, Map<String, Double> after, int tasks) {
		Map<String, Double> micros = new LinkedHashMap<>();
		double total = 0;
		for (Map.Entry<String, Double> entry : after.entrySet()) {
			double used = entry.getValue() - before.getOrDefault(entry.getKey(), 0.0);
			double perTask = Math.round(used * 1e6 / tasks * 10) / 10.0;
			micros.put(entry.getKey(), perTask);
			total += perTask;
		}
		micros.put("total", Math.round(total * 10) / 10.0);
		return micros;
	}

	private static double cpuSeconds(ProcessHandle process, boolean descendants) {
		double total = ticks(process.pid());
		if (descendants) {
			for (ProcessHandle child : process.descendants().toList()) {
				total += ticks(child.pid());
			}
		}
		return total / TICKS_PER_SECOND;
	}

	private static long ticks(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
			// The command may hold spaces; fields count from after its closing
			// parenthesis.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

}
