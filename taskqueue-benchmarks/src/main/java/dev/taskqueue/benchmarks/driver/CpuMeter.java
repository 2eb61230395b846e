package dev.taskqueue.benchmarks.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time spent by the processes of a measurement — the process under test, the driver, RabbitMQ
 * and Redis — read from {@code /proc/<pid>/stat} (user + system, descendants included), so a
 * figure can say how many microseconds of CPU each task cost and where. On a machine whose CPUs
 * they all share, that bounds the rate more honestly than the rate alone.
 */
final class CpuMeter {

	private static final double TICKS_PER_SECOND = 100.0;

	private final Map<String, ProcessHandle> processes = new LinkedHashMap<>();

	private final Map<String, Boolean> withDescendants = new LinkedHashMap<>();

	private CpuMeter() {
	}

	/**
	 * A meter of the given process (with its descendants), the driver (without), and the broker
	 * and Redis when they run here.
	 * @param name the name of the process under test
	 * @param process the process under test
	 * @return the meter
	 */
	static CpuMeter of(String name, ProcessHandle process) {
		CpuMeter meter = new CpuMeter();
		meter.add(name, process, true);
		// The driver alone: the processes under test are its children.
		meter.add("driver", ProcessHandle.current(), false);
		find("beam.smp").ifPresent((p) -> meter.add("rabbitmq", p, false));
		find("redis-server").ifPresent((p) -> meter.add("redis", p, false));
		return meter;
	}

	private void add(String name, ProcessHandle process, boolean descendants) {
		this.processes.put(name, process);
		this.withDescendants.put(name, descendants);
	}

	/** The first process of that name (/proc/<pid>/comm: redis-server's executable may be another name). */
	private static Optional<ProcessHandle> find(String name) {
		return ProcessHandle.allProcesses().filter((p) -> name.equals(comm(p.pid()))).findFirst();
	}

	private static String comm(long pid) {
		try {
			return Files.readString(Path.of("/proc/" + pid + "/comm")).trim();
		}
		catch (IOException | RuntimeException ex) {
			return "";
		}
	}

	/** @return the CPU seconds of every process now */
	Map<String, Double> snapshot() {
		Map<String, Double> seconds = new LinkedHashMap<>();
		this.processes.forEach((name, process) -> seconds.put(name, cpuSeconds(process, this.withDescendants.get(name))));
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
			// The command may hold spaces; fields count from after its closing parenthesis.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

}
