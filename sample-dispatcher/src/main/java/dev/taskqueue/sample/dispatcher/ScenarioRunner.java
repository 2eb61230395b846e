package dev.taskqueue.sample.dispatcher;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.client.TaskTimeoutException;
import dev.taskqueue.result.TaskState;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs {@link TutorialScenarios} when the application is started with {@code --scenarios}
 * or {@code dispatcher.scenarios=true}, prints what each gave, and sets the exit code: 0
 * only if every scenario gave its expected outcome.
 */
@Component
public class ScenarioRunner implements ApplicationRunner, ExitCodeGenerator {

	/** The command-line argument that asks for the scenarios. */
	public static final String ARGUMENT = "--scenarios";

	/** The property that asks for the scenarios. */
	public static final String PROPERTY = "dispatcher.scenarios";

	private final TaskClient client;

	private final Environment environment;

	private final Duration timeout;

	private final PrintStream out = System.out;

	private final JsonMapper json = JsonMapper.shared();

	private volatile boolean ran;

	private volatile int exitCode;

	public ScenarioRunner(TaskClient client, Environment environment) {
		this.client = client;
		this.environment = environment;
		this.timeout = environment.getProperty("dispatcher.scenario-timeout", Duration.class, Duration.ofSeconds(30));
	}

	/**
	 * Whether the command line asks for the scenarios, so that {@code main} can leave the
	 * web server out before the application starts.
	 * @param args the command-line arguments
	 * @return whether to run the scenarios
	 */
	public static boolean isRequested(String[] args) {
		return Arrays.stream(args)
			.anyMatch((arg) -> arg.equals(ARGUMENT) || arg.equalsIgnoreCase("--" + PROPERTY + "=true"))
				|| Boolean.parseBoolean(System.getProperty(PROPERTY));
	}

	@Override
	public void run(ApplicationArguments args) {
		if (args.containsOption("scenarios") || this.environment.getProperty(PROPERTY, Boolean.class, false)) {
			List<ScenarioVerdict> verdicts = runAll(TutorialScenarios.all());
			this.exitCode = verdicts.stream().allMatch(ScenarioVerdict::passed) ? 0 : 1;
			this.ran = true;
		}
	}

	/**
	 * Run scenarios one after another, printing what each gave.
	 * @param scenarios the scenarios
	 * @return each outcome checked against its expectation, in order
	 */
	public List<ScenarioVerdict> runAll(List<Scenario> scenarios) {
		ScenarioContext context = new ScenarioContext(this.client);
		List<ScenarioVerdict> verdicts = new ArrayList<>();
		this.out.println();
		this.out.println("Running the tutorial's " + scenarios.size() + " scenarios (timeout "
				+ this.timeout.toSeconds() + " s each)");
		for (Scenario scenario : scenarios) {
			ScenarioOutcome outcome = run(scenario, context);
			context.record(outcome);
			ScenarioVerdict verdict = new ScenarioVerdict(outcome, check(scenario, outcome, context));
			verdicts.add(verdict);
			print(verdict);
		}
		long passed = verdicts.stream().filter(ScenarioVerdict::passed).count();
		this.out.println();
		this.out.println(passed + "/" + scenarios.size() + " scenarios gave their expected outcome"
				+ ((passed == scenarios.size()) ? "" : " -- FAILED"));
		this.out.flush();
		return verdicts;
	}

	private static @Nullable String check(Scenario scenario, ScenarioOutcome outcome, ScenarioContext context) {
		try {
			return scenario.expected().mismatch(outcome, context);
		}
		catch (RuntimeException ex) {
			return "cannot check: " + ex.getMessage();
		}
	}

	private ScenarioOutcome run(Scenario scenario, ScenarioContext context) {
		long start = System.nanoTime();
		TaskResult result;
		try {
			result = scenario.send().apply(context);
		}
		catch (RuntimeException ex) {
			return new ScenarioOutcome(scenario, null, TaskState.PENDING, null, null, "not sent: " + ex.getMessage(),
					since(start));
		}
		try {
			Object value = result.get(this.timeout);
			return new ScenarioOutcome(scenario, result.getId(), TaskState.SUCCESS, value, null, null, since(start));
		}
		catch (TaskFailedException ex) {
			return new ScenarioOutcome(scenario, result.getId(), ex.getState(), null, ex.getExceptionInfo(), null,
					since(start));
		}
		catch (TaskTimeoutException ex) {
			return new ScenarioOutcome(scenario, result.getId(), ex.getLastState(), null, null,
					"no result within " + this.timeout.toSeconds() + " s (is a worker consuming its queue?)",
					since(start));
		}
		catch (RuntimeException ex) {
			return new ScenarioOutcome(scenario, result.getId(), TaskState.PENDING, null, null,
					"cannot read the result: " + ex.getMessage(), since(start));
		}
	}

	private void print(ScenarioVerdict verdict) {
		ScenarioOutcome outcome = verdict.outcome();
		Scenario scenario = outcome.scenario();
		this.out.println();
		this.out.println(scenario.key() + ". " + scenario.celery());
		this.out.println("   java:     " + scenario.java());
		this.out.println("   task id:  " + ((outcome.taskId() != null) ? outcome.taskId() : "-"));
		this.out.println("   state:    " + outcome.state());
		if (outcome.state() == TaskState.SUCCESS) {
			this.out.println("   result:   " + toJson(outcome.result()));
		}
		if (outcome.error() != null) {
			this.out.println("   error:    " + outcome.error().qualifiedType() + ": " + outcome.error().message());
		}
		if (outcome.problem() != null) {
			this.out.println("   problem:  " + outcome.problem());
		}
		this.out.printf("   took:     %.3f s%n", outcome.elapsed().toNanos() / 1e9);
		this.out.println("   expected: " + scenario.expected().description() + " -> "
				+ (verdict.passed() ? "OK" : "MISMATCH: " + verdict.mismatch()));
	}

	private String toJson(@Nullable Object value) {
		try {
			return this.json.writeValueAsString(value);
		}
		catch (RuntimeException ex) {
			return String.valueOf(value);
		}
	}

	private static Duration since(long start) {
		return Duration.ofNanos(System.nanoTime() - start);
	}

	/**
	 * Return whether the scenarios ran in this application.
	 * @return whether the scenarios ran in this application
	 */
	public boolean hasRun() {
		return this.ran;
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

}
