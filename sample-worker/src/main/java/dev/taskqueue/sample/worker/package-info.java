/**
 * The seed article's {@code worker.py} as a Spring Boot application: the tasks
 * {@code worker.divide} and {@code worker.error_handler}, consuming the queues
 * {@code divide} and {@code error}.
 */
@NullMarked
package dev.taskqueue.sample.worker;

import org.jspecify.annotations.NullMarked;
