/**
 * How the test modes work: the publisher that records and runs sent messages, the
 * in-process worker, the in-memory result store. No compatibility promise.
 */
@NullMarked
package dev.taskqueue.test.internal;

import org.jspecify.annotations.NullMarked;
