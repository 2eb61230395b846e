/**
 * What a task's outcome is: its {@link dev.taskqueue.result.TaskState state} (Celery's
 * states) and, when it failed, the remote {@link dev.taskqueue.result.ExceptionInfo
 * exception}. The result store is in the internal subpackage; applications read results
 * through {@link dev.taskqueue.client.TaskResult}.
 */
@NullMarked
package dev.taskqueue.result;

import org.jspecify.annotations.NullMarked;
