/** STS state: the sessions AssumeRole hands out (read by IAM authorisation for their session policies). */
export interface SessionRow {
  accessKeyId: string;
  account: string;
  role: string;
  session: string;
  expires: number;
  /** Session policies given to AssumeRole: they cap what the session may do. */
  policy?: string;
  policyArns?: string[];
}
export const T_SESSIONS = 'sts.sessions';
