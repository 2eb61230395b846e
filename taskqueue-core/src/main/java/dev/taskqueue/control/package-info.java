/**
 * Cluster-wide control of workers over Redis: revocations, rate-limit changes and
 * heartbeats.
 */
@NullMarked
package dev.taskqueue.control;

import org.jspecify.annotations.NullMarked;
