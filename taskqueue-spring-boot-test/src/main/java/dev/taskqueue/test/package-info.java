/**
 * Testing applications that send and run tasks:
 * {@link dev.taskqueue.test.AutoConfigureTaskQueue} with its
 * {@link dev.taskqueue.test.TaskQueueTestMode modes}, the
 * {@link dev.taskqueue.test.TaskRecorder} of sent tasks, the
 * {@link dev.taskqueue.test.TestClock}, AssertJ assertions
 * ({@link dev.taskqueue.test.TaskQueueAssertions}) and results in any state
 * ({@link dev.taskqueue.test.TaskResults}).
 */
@NullMarked
package dev.taskqueue.test;

import org.jspecify.annotations.NullMarked;
