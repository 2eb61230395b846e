package dev.taskqueue.docs.snippets.testing;

import java.time.Duration;

import dev.taskqueue.test.AutoConfigureTaskQueue;
import dev.taskqueue.test.TaskRecorder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static dev.taskqueue.test.TaskQueueAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

// tag::record[]
@SpringBootTest
@AutoConfigureTaskQueue // record mode: nothing is published, every send is recorded
class InvoicesTests {

	@Autowired
	Invoices invoices;

	@Autowired
	TaskRecorder recorder;

	@Test
	void splittingSendsADivision() {
		this.invoices.split(100, 4);
		assertThat(this.recorder).sent("math.divide").withArgs(100, 4).onQueue("celery").once();
	}

	@Test
	void stubbedResultIsReadAtOnce() {
		this.recorder.stubResult("math.divide", 25.0);
		assertThat(this.invoices.split(100, 4).get(Duration.ZERO, Double.class)).isEqualTo(25.0);
	}

}
// end::record[]
