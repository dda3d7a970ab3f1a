/** The high-level `aws s3` commands, and S3's completers and waiters for the aws command. */
import './commands';
import './registry';
import './website';
