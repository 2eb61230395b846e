/**
 * The seed article's {@code dispatcher.py} as a Spring Boot application: a small HTTP API
 * that sends {@code worker.divide} and reads results, and a command-line mode
 * ({@code --scenarios}) that replays the seed's calls one by one.
 */
@NullMarked
package dev.taskqueue.sample.dispatcher;

import org.jspecify.annotations.NullMarked;
