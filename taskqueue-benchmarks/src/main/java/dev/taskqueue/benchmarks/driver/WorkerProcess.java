package dev.taskqueue.benchmarks.driver;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The worker under test and the driver's own application for the waiting-work modes
 * ({@code eta}, {@code chord}, {@code cold-start}): the same worker command as the main
 * driver's, on a queue and control exchanges of the run's own.
 */
final class WorkerProcess {

	private WorkerProcess() {
	}

	/**
	 * The command that starts a worker consuming one queue.
	 * @param javaOpts the worker's JVM options
	 * @param queue the queue
	 * @param portFile where the worker writes its stats port
	 * @param rabbit RabbitMQ as {@code host:port}
	 * @param redis Redis as {@code host:port}
	 * @param properties more Boot properties, {@code key=value}
	 * @return the command
	 */
	static List<String> command(String javaOpts, String queue, Path portFile, String rabbit, String redis,
			List<String> properties) {
		String[] rabbitAddress = rabbit.split(":");
		String[] redisAddress = redis.split(":");
		List<String> args = new ArrayList<>();
		args.add(portFile.toString());
		args.add("--spring.rabbitmq.host=" + rabbitAddress[0]);
		args.add("--spring.rabbitmq.port=" + rabbitAddress[1]);
		args.add("--spring.data.redis.host=" + redisAddress[0]);
		args.add("--spring.data.redis.port=" + redisAddress[1]);
		args.add("--taskqueue.worker.queues=" + queue);
		args.add("--taskqueue.worker.node-name=" + queue + "@bench");
		args.add("--taskqueue.cluster.control-exchange=" + queue + "-ctl");
		args.add("--taskqueue.cluster.event-exchange=" + queue + "-ev");
		// No node answers on the run's private control exchange: mingle would only
		// wait out its timeout.
		args.add("--taskqueue.worker.mingle=false");
		for (String property : properties) {
			args.add("--" + property);
		}
		return JavaCommand.of(javaOpts, "worker", args);
	}

	/**
	 * Start a worker consuming one queue and wait until it is ready.
	 * @param javaOpts the worker's JVM options
	 * @param queue the queue
	 * @param logs where its log and port file go
	 * @param rabbit RabbitMQ as {@code host:port}
	 * @param redis Redis as {@code host:port}
	 * @return the worker
	 * @throws IOException if it cannot start
	 * @throws InterruptedException if interrupted
	 */
	static ChildProcess start(String javaOpts, String queue, Path logs, String rabbit, String redis)
			throws IOException, InterruptedException {
		Path portFile = logs.resolve(queue + ".port");
		ChildProcess worker = ChildProcess.start("taskqueue worker",
				command(javaOpts, queue, portFile, rabbit, redis, List.of()), Map.of(), Path.of("."),
				logs.resolve(queue + "-worker.log"), portFile);
		worker.awaitReady(java.time.Duration.ofSeconds(180));
		return worker;
	}

	/**
	 * The driver's dispatcher-only application, whose {@code TaskClient} sends as a
	 * user's would.
	 * @param rabbit RabbitMQ as {@code host:port}
	 * @param redis Redis as {@code host:port}
	 * @return the running context
	 */
	static ConfigurableApplicationContext driver(String rabbit, String redis) {
		String[] rabbitAddress = rabbit.split(":");
		String[] redisAddress = redis.split(":");
		Properties props = new Properties();
		props.put("spring.rabbitmq.host", rabbitAddress[0]);
		props.put("spring.rabbitmq.port", rabbitAddress[1]);
		props.put("spring.data.redis.host", redisAddress[0]);
		props.put("spring.data.redis.port", redisAddress[1]);
		props.put("taskqueue.worker.enabled", "false");
		props.put("spring.main.banner-mode", "off");
		props.put("logging.level.root", "WARN");
		return new SpringApplicationBuilder(DriverApplication.class).web(WebApplicationType.NONE)
			.properties(props)
			.logStartupInfo(false)
			.run();
	}

	/**
	 * Parse {@code --option value} pairs over defaults.
	 * @param args the command line
	 * @param options the defaults, updated in place
	 * @param flags options without a value, set to "true" when given
	 * @return whether the command line was valid
	 */
	static boolean parse(String[] args, Map<String, String> options, List<String> flags) {
		for (int i = 0; i < args.length; i++) {
			if (flags.contains(args[i])) {
				options.put(args[i], "true");
			}
			else if ((options.containsKey(args[i]) || "--out".equals(args[i])) && i + 1 < args.length) {
				options.put(args[i], args[++i]);
			}
			else {
				return false;
			}
		}
		return true;
	}

}
