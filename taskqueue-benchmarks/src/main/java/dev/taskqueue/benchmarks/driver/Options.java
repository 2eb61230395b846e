package dev.taskqueue.benchmarks.driver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The driver's command line.
 */
final class Options {

	static final String USAGE = """
			usage: scripts/bench [options]
			  --n N                    tasks per drain and publish run (default 100000)
			  --reps R                 repetitions of every figure; medians are reported (default 3)
			  --senders S              threads calling TaskClient.send at once (default 64)
			  --warmup W               tasks sent before the first measured drain (default min(N, 20000))
			  --latency-samples L      sequential send().get() samples per repetition (default 2000)
			  --latency-warmup L       round trips before those (default 500)
			  --only LIST              comma list of parts (default: all of them):
			                             publish  publish alone into the paused worker's queue,
			                                      then the worker alone on the full queue
			                             drain    publishing and consuming at once
			                             latency  sequential round trips
			                             events   drains with results stored, Celery task events
			                                      off then on in the same run (not in the default
			                                      set)
			                             raw      the raw Spring AMQP baseline of the parts above
			                             celery   Celery's figures for the parts above
			  --stages                 break the round trips into stages (client send, broker confirm
			                           and delivery, the worker's hand-off, decode, invoke and store,
			                           the notification and the waiter's wake-up): p50/p90/p99 per
			                           stage, from timestamps both processes take (hooks that exist
			                           only with this option)
			  --no-celery              skip Celery even if /usr/bin/python3 can import it
			  --python PATH            the Python with Celery (default /usr/bin/python3)
			  --celery-app FILE        the reference Celery app (default: the copy bundled in the jar)
			  --worker-java-opts OPTS  JVM options of the worker under test (default -Xmx128m, the heap
			                           cap README recommends for workers; e.g. add a JFR recording)
			  --worker-prop K=V        a Spring Boot property of the worker under test (repeatable)
			  --prop K=V               a Spring Boot property of both the worker under test and the
			                           driver's client, such as taskqueue.default-queue-type=quorum,
			                           which both must declare alike (repeatable)
			  --raw-concurrency C      consumers of the raw baseline (default: the worker's, CPUs)
			  --raw-prefetch P         prefetch of the raw baseline (default: the worker's, 16)
			  --raw-subscribe-per-task also time raw round trips that subscribe to each record's
			                           own channel as they publish and unsubscribe in batches, as
			                           a client listening ahead does, in alternation with the raw
			                           ones on one pattern subscription
			  --queue-version V        classic queue version (1 or 2) for this run's queues only, set
			                           as a policy with rabbitmqctl and removed after (default: the
			                           broker's own, version 1 on RabbitMQ 3.10)
			  --rabbit HOST:PORT       RabbitMQ (default 127.0.0.1:5672, guest/guest)
			  --rabbit-addresses LIST  the nodes of a RabbitMQ cluster (HOST:PORT,...) the driver's
			                           client and the worker under test connect to
			                           (spring.rabbitmq.addresses); the raw baseline and the CPU
			                           meter keep --rabbit, which should be the first of them
			  --redis HOST:PORT        Redis (default 127.0.0.1:6379)
			  --out FILE               JSON results (default bench-results/<timestamp>.json)
			  --logs DIR               logs of the processes under test (default: beside the JSON)
			  --timeout SECONDS        longest wait for one drain (default 120 + N/100)
			""";

	int n = 100_000;

	int reps = 3;

	int senders = 64;

	int warmup = -1;

	int latencySamples = 2000;

	int latencyWarmup = 500;

	Set<String> only = new LinkedHashSet<>(List.of("publish", "drain", "latency", "raw", "celery"));

	boolean celery = true;

	boolean stages;

	boolean rawSubscribePerTask;

	String python = "/usr/bin/python3";

	@Nullable Path celeryApp;

	String workerJavaOpts = "-Xmx128m";

	List<String> workerProps = new ArrayList<>();

	List<String> props = new ArrayList<>();

	@Nullable String rabbitAddresses;

	int rawConcurrency = Runtime.getRuntime().availableProcessors();

	int rawPrefetch = 16;

	int queueVersion;

	String rabbitHost = "127.0.0.1";

	int rabbitPort = 5672;

	String redisHost = "127.0.0.1";

	int redisPort = 6379;

	@Nullable Path out;

	@Nullable Path logs;

	long timeoutSeconds = -1;

	static Options parse(String[] args) {
		Options options = new Options();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			switch (arg) {
				case "--n" -> options.n = positive(arg, value(args, ++i, arg));
				case "--reps" -> options.reps = positive(arg, value(args, ++i, arg));
				case "--senders" -> options.senders = positive(arg, value(args, ++i, arg));
				case "--warmup" -> options.warmup = Integer.parseInt(value(args, ++i, arg));
				case "--latency-samples" -> options.latencySamples = positive(arg, value(args, ++i, arg));
				case "--latency-warmup" -> options.latencyWarmup = Integer.parseInt(value(args, ++i, arg));
				case "--only" -> {
					options.only = new LinkedHashSet<>(List.of(value(args, ++i, arg).split(",")));
					options.only.removeIf(String::isBlank);
				}
				case "--no-celery" -> options.celery = false;
				case "--stages" -> options.stages = true;
				case "--raw-subscribe-per-task" -> options.rawSubscribePerTask = true;
				case "--python" -> options.python = value(args, ++i, arg);
				case "--celery-app" -> options.celeryApp = Path.of(value(args, ++i, arg));
				case "--worker-java-opts" -> options.workerJavaOpts = value(args, ++i, arg);
				case "--worker-prop" -> options.workerProps.add(value(args, ++i, arg));
				case "--prop" -> options.props.add(value(args, ++i, arg));
				case "--rabbit-addresses" -> options.rabbitAddresses = value(args, ++i, arg);
				case "--raw-concurrency" -> options.rawConcurrency = positive(arg, value(args, ++i, arg));
				case "--raw-prefetch" -> options.rawPrefetch = positive(arg, value(args, ++i, arg));
				case "--queue-version" -> {
					options.queueVersion = positive(arg, value(args, ++i, arg));
					if (options.queueVersion > 2) {
						throw new IllegalArgumentException("--queue-version must be 1 or 2: " + options.queueVersion);
					}
				}
				case "--rabbit" -> {
					String[] hp = value(args, ++i, arg).split(":");
					options.rabbitHost = hp[0];
					options.rabbitPort = (hp.length > 1) ? Integer.parseInt(hp[1]) : 5672;
				}
				case "--redis" -> {
					String[] hp = value(args, ++i, arg).split(":");
					options.redisHost = hp[0];
					options.redisPort = (hp.length > 1) ? Integer.parseInt(hp[1]) : 6379;
				}
				case "--out" -> options.out = Path.of(value(args, ++i, arg));
				case "--logs" -> options.logs = Path.of(value(args, ++i, arg));
				case "--timeout" -> options.timeoutSeconds = positive(arg, value(args, ++i, arg));
				case "-h", "--help" -> throw new IllegalArgumentException("");
				default -> throw new IllegalArgumentException("Unknown option '" + arg + "'");
			}
		}
		for (String part : options.only) {
			if (!Set.of("publish", "drain", "latency", "raw", "celery", "events").contains(part)) {
				throw new IllegalArgumentException("--only: unknown part '" + part + "'");
			}
		}
		if (options.warmup < 0) {
			options.warmup = Math.min(options.n, 20_000);
		}
		if (options.timeoutSeconds < 0) {
			options.timeoutSeconds = 120 + options.n / 100;
		}
		return options;
	}

	boolean runs(String part) {
		return this.only.contains(part);
	}

	private static String value(String[] args, int i, String option) {
		if (i >= args.length) {
			throw new IllegalArgumentException(option + " needs a value");
		}
		return args[i];
	}

	private static int positive(String option, String value) {
		int number = Integer.parseInt(value.replace("_", "").replace(",", ""));
		if (number <= 0) {
			throw new IllegalArgumentException(option + " must be positive: " + value);
		}
		return number;
	}

}
