/**
 * The demo's dispatcher: a classic Celery tutorial's {@code dispatcher.py} as a Spring
 * Boot application, with a small HTTP API that sends {@code worker.divide} and reads
 * results, and a command-line mode ({@code --scenarios}) that replays the tutorial's
 * calls one by one.
 */
@NullMarked
package dev.taskqueue.sample.dispatcher;

import org.jspecify.annotations.NullMarked;
