package dev.taskqueue.benchmarks.driver;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class RoundTripStagesTests {

	@TempDir
	Path dir;

	@Test
	void eachStageIsTheDifferenceOfItsTwoPointsOverTheSamplesThatHaveBoth() throws Exception {
		RoundTripStages stages = RoundTripStages.taskqueue();
		for (int i = 1; i <= 100; i++) {
			stages.add(sample(1_000_000, 1_000_000 + 100 * i, (i == 50) ? 0 : 1_000_000 + 100 * i + 500));
		}
		Results results = new Results();
		stages.record(results, "0", this.dir.resolve("stages.csv"));
		Figure prepare = results.find(Results.TASKQUEUE, "stage.send.prepare.p50");
		Figure confirm = results.find(Results.TASKQUEUE, "stage.send.confirm.p99");
		assertThat(prepare).isNotNull();
		assertThat(prepare.median()).isEqualTo(5.0);
		assertThat(confirm).isNotNull();
		assertThat(confirm.median()).isEqualTo(0.5);
		assertThat(confirm.runs.get(0).detail()).isEmpty();
		assertThat(results.find(Results.TASKQUEUE, "stage.send.confirm.p50").runs.get(0).detail())
			.containsEntry("samples", 99);
		List<String> csv = Files.readAllLines(this.dir.resolve("stages.csv"));
		assertThat(csv).hasSize(101);
		assertThat(csv.get(0)).startsWith("send,published,confirmed");
	}

	@Test
	void getIsSplitByWhetherTheResultWasStoredWhenSendReturned() throws Exception {
		RoundTripStages stages = RoundTripStages.taskqueue();
		Map<String, Long> stored = sample(1_000_000, 1_000_100, 1_000_900);
		stored.put(RoundTripStages.NOTIFIED, 1_000_500L);
		stored.put(RoundTripStages.SENT, 1_001_000L);
		stored.put(RoundTripStages.DONE, 1_001_200L);
		Map<String, Long> waited = sample(1_000_000, 1_000_100, 1_000_900);
		waited.put(RoundTripStages.SENT, 1_001_000L);
		waited.put(RoundTripStages.NOTIFIED, 1_003_000L);
		waited.put(RoundTripStages.DONE, 1_003_300L);
		stages.add(stored);
		stages.add(waited);
		Results results = new Results();
		stages.record(results, "0", this.dir.resolve("get.csv"));
		assertThat(results.find(Results.TASKQUEUE, "stage.get.stored.p99").median()).isEqualTo(0.2);
		assertThat(results.find(Results.TASKQUEUE, "stage.get.waited.p99").median()).isEqualTo(0.3);
		// From whichever came last, the notification or send()'s return.
		assertThat(results.find(Results.TASKQUEUE, "stage.get.ready.p99").median()).isEqualTo(0.3);
		assertThat(results.find(Results.TASKQUEUE, "stage.get.ready.p50").median()).isEqualTo(0.2);
	}

	@Test
	void theSummaryTableShowsTheMediansOfEveryMeasuredStage() throws Exception {
		Results results = new Results();
		results.info.put("reps", 1);
		RoundTripStages stages = RoundTripStages.raw();
		stages.add(sample(1_000_000, 1_000_200, 1_001_000));
		stages.record(results, "0", this.dir.resolve("raw.csv"));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		results.print(new PrintStream(out, true, StandardCharsets.UTF_8));
		String table = out.toString(StandardCharsets.UTF_8);
		assertThat(table).contains("raw round trip stages");
		assertThat(table).containsPattern("broker: publish written -> confirm arrived +0\\.800 +0\\.800");
		assertThat(table).doesNotContain("taskqueue round trip stages");
	}

	private static Map<String, Long> sample(long send, long published, long confirmed) {
		Map<String, Long> sample = new LinkedHashMap<>();
		sample.put(RoundTripStages.SEND, send);
		sample.put(RoundTripStages.PUBLISHED, published);
		sample.put(RoundTripStages.CONFIRMED, confirmed);
		return sample;
	}

}
