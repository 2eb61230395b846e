package dev.taskqueue.docs.snippets.periodic;

import java.time.ZoneId;

import dev.taskqueue.beat.PeriodicTask;
import dev.taskqueue.beat.PeriodicTasks;
import dev.taskqueue.beat.Schedule;
import dev.taskqueue.beat.ScheduledTask;
import org.springframework.beans.factory.annotation.Autowired;

class Invoicing {

	@Autowired
	PeriodicTasks periodicTasks;

	void manage(PeriodicTask changed) {
		PeriodicTasks periodicTasks = this.periodicTasks;
		// tag::runtime[]
		periodicTasks.add(PeriodicTask.builder("invoice-run", "billing.invoice")
			.schedule(Schedule.cron("0 0 6 1 * *")) // 06:00 on the 1st of each month
			.zone(ZoneId.of("Europe/Paris"))
			.kwarg("dryRun", false)
			.queue("billing")
			.build());
		periodicTasks.replace(changed); // keeps when it last ran
		periodicTasks.disable("invoice-run");
		periodicTasks.enable("invoice-run");
		periodicTasks.runNow("invoice-run"); // at the next tick, then on schedule again
		periodicTasks.remove("invoice-run");
		for (ScheduledTask entry : periodicTasks.list()) { // with next run, last run, run
															// count
			System.out.println(entry);
		}
		// end::runtime[]
	}

}
