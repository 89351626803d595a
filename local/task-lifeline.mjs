// Preloaded into every local scanner task (node --import): the task ends when the `npm start`
// that ran it ends, even when that process is killed outright and can stop nothing. On Fargate
// a task never outlives the cluster's record of it; a child process would, and go on scanning
// and uploading a scan the restarted stack has already queued again, so the scan would run twice.
// The ECS endpoint gives each task an IPC channel, which closes when its parent dies.
process.channel?.unref(); // the channel alone must not keep a finished task alive
process.once('disconnect', () => process.kill(process.pid, 'SIGKILL'));
