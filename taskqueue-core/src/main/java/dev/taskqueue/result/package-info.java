/**
 * Task states and the result store, in Celery's Redis result format.
 */
@NullMarked
package dev.taskqueue.result;

import org.jspecify.annotations.NullMarked;
