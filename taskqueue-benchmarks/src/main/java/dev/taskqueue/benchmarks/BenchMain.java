package dev.taskqueue.benchmarks;

import java.nio.file.Path;
import java.util.Arrays;

import dev.taskqueue.benchmarks.beat.BeatNodeApplication;
import dev.taskqueue.benchmarks.driver.BeatBench;
import dev.taskqueue.benchmarks.driver.BenchDriver;
import dev.taskqueue.benchmarks.driver.BulkBench;
import dev.taskqueue.benchmarks.driver.ChordBench;
import dev.taskqueue.benchmarks.driver.ColdStartBench;
import dev.taskqueue.benchmarks.driver.EtaBench;
import dev.taskqueue.benchmarks.worker.BenchWorkerApplication;
import dev.taskqueue.benchmarks.worker.RawConsumer;

/**
 * Entry point of the benchmark jar. {@code scripts/bench} runs the driver; the driver
 * starts the other two modes in JVMs of their own:
 * <ul>
 * <li>{@code driver [options]} (the default) — see {@link BenchDriver};</li>
 * <li>{@code worker <port-file> [--boot.property=value ...]} — the taskqueue worker under
 * test;</li>
 * <li>{@code raw-consumer <port-file> <host> <port> <queue> <concurrency> <prefetch> <redis-host>
 * <redis-port>} — the raw Spring AMQP baseline's consumer;</li>
 * <li>{@code beat [options]} — the beat benchmark (see {@link BeatBench}), which starts
 * {@code beat-node [--boot.property=value ...]}, the beat under test;</li>
 * <li>{@code bulk [options]} — the bulk-send benchmark (see {@link BulkBench});</li>
 * <li>{@code eta [options]} — many tasks waiting for their eta (see
 * {@link EtaBench});</li>
 * <li>{@code chord [options]} — a large chord (see {@link ChordBench});</li>
 * <li>{@code cold-start [options]} — a worker JVM's first seconds, with and without a
 * class data sharing archive (see {@link ColdStartBench}).</li>
 * </ul>
 */
public final class BenchMain {

	private BenchMain() {
	}

	public static void main(String[] args) throws Exception {
		String mode = (args.length > 0 && !args[0].startsWith("-")) ? args[0] : "driver";
		String[] rest = (args.length > 0 && !args[0].startsWith("-")) ? Arrays.copyOfRange(args, 1, args.length) : args;
		switch (mode) {
			case "driver" -> System.exit(BenchDriver.run(rest));
			case "worker" -> BenchWorkerApplication.run(Path.of(rest[0]), Arrays.copyOfRange(rest, 1, rest.length));
			case "beat" -> System.exit(BeatBench.run(rest));
			case "bulk" -> System.exit(BulkBench.run(rest));
			case "eta" -> System.exit(EtaBench.run(rest));
			case "chord" -> System.exit(ChordBench.run(rest));
			case "cold-start" -> System.exit(ColdStartBench.run(rest));
			case "beat-node" -> BeatNodeApplication.run(rest);
			case "raw-consumer" -> RawConsumer.run(Path.of(rest[0]), rest[1], Integer.parseInt(rest[2]), rest[3],
					Integer.parseInt(rest[4]), Integer.parseInt(rest[5]), rest[6], Integer.parseInt(rest[7]));
			default -> {
				System.err.println("Unknown mode '" + mode
						+ "': driver, worker, raw-consumer, beat, beat-node, bulk, eta, chord or cold-start");
				System.exit(2);
			}
		}
	}

}
