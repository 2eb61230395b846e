package dev.taskqueue.docs.snippets.periodic;

import dev.taskqueue.beat.Periodic;
import dev.taskqueue.worker.QueueTask;
import org.springframework.stereotype.Component;

@Component
class Reports {

	// tag::periodic[]
	@QueueTask("reports.daily")
	@Periodic(cron = "0 30 9 * * MON-FRI", zone = "Europe/Berlin")
	void dailyReport() {
		// ...
	}

	@QueueTask("files.cleanup")
	@Periodic(every = "${cleanup.every:10m}", args = "[7]") // placeholders are resolved
	@Periodic(name = "files.cleanup-nightly", cron = "0 0 3 * * *") // and another
	void cleanup(int days) {
		// ...
	}
	// end::periodic[]

}
