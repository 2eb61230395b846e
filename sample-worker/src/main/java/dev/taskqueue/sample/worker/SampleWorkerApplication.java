package dev.taskqueue.sample.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The tutorial's worker: {@code celery -A worker worker --loglevel=info -Q divide,error}.
 * Its tasks are the {@link dev.taskqueue.worker.QueueTask @QueueTask} methods of
 * {@link WorkerTasks}; {@code application.yml} is the tutorial's {@code celeryconfig.py}.
 */
@SpringBootApplication
public class SampleWorkerApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleWorkerApplication.class, args);
	}

}
