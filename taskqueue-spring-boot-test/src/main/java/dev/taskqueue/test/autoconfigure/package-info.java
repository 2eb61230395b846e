/**
 * Auto-configuration of the test modes, imported by
 * {@link dev.taskqueue.test.AutoConfigureTaskQueue}.
 */
@NullMarked
package dev.taskqueue.test.autoconfigure;

import org.jspecify.annotations.NullMarked;
