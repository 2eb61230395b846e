/**
 * Auto-configuration of the observations of sending and running tasks.
 */
@NullMarked
package dev.taskqueue.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
