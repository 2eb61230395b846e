/**
 * The demo's worker: a classic Celery tutorial's {@code worker.py} as a Spring Boot
 * application, with the tasks {@code worker.divide} and {@code worker.error_handler},
 * consuming the queues {@code divide} and {@code error}.
 */
@NullMarked
package dev.taskqueue.sample.worker;

import org.jspecify.annotations.NullMarked;
