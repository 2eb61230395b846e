/**
 * Health of taskqueue: broker, result store and the worker's consumers, for Spring Boot's
 * health endpoint.
 */
@NullMarked
package dev.taskqueue.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
