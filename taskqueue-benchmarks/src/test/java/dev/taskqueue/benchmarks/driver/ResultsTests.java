package dev.taskqueue.benchmarks.driver;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResultsTests {

	@Test
	void eachDrainIsComparedWithTheRawDrainOfItsKind() {
		Results results = oneRepetition();
		results.figure(Results.TASKQUEUE, "drain.results", "tasks/s").add(4_000, "0", Map.of());
		results.figure(Results.TASKQUEUE, "drain.ignored", "tasks/s").add(6_000, "0", Map.of());
		results.figure(Results.RAW, "drain.results", "messages/s").add(5_000, "0", Map.of());
		results.figure(Results.RAW, "drain", "messages/s").add(8_000, "0", Map.of());
		String table = print(results);
		assertThat(table).containsPattern("drain, results stored \\(tasks/s\\) +4,000 +5,000");
		assertThat(table).containsPattern("drain, results ignored \\(tasks/s\\) +6,000 +8,000");
		assertThat(table).containsPattern("% of raw drain \\(stored / ignored\\) +80% / 75% +100%");
	}

	@Test
	void roundTripsShowTheRawFloorBesideOurs() {
		Results results = oneRepetition();
		results.figure(Results.TASKQUEUE, "latency.p50", "ms").add(1.1, "0", Map.of());
		results.figure(Results.RAW, "latency.p50", "ms").add(0.7, "0", Map.of());
		results.figure(Results.TASKQUEUE, "latency.send.p50", "ms").add(0.9, "0", Map.of());
		results.figure(Results.RAW, "latency.send.p50", "ms").add(0.65, "0", Map.of());
		String table = print(results);
		assertThat(table).containsPattern("round trip p50 \\(ms\\) +1\\.10 +0\\.70 +- +<= 0\\.5");
		assertThat(table).containsPattern("of which publish until confirmed, p50 \\(ms\\) +0\\.90 +0\\.65");
	}

	@Test
	void withoutARawStoredDrainTheStoredShareIsUnknown() {
		Results results = oneRepetition();
		results.figure(Results.TASKQUEUE, "drain.results", "tasks/s").add(4_000, "0", Map.of());
		results.figure(Results.TASKQUEUE, "drain.ignored", "tasks/s").add(6_000, "0", Map.of());
		results.figure(Results.RAW, "drain", "messages/s").add(8_000, "0", Map.of());
		assertThat(print(results)).containsPattern("% of raw drain \\(stored / ignored\\) +- / 75%");
	}

	private static Results oneRepetition() {
		Results results = new Results();
		results.info.put("reps", 1);
		return results;
	}

	private static String print(Results results) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		results.print(new PrintStream(out, true, StandardCharsets.UTF_8));
		return out.toString(StandardCharsets.UTF_8);
	}

}
