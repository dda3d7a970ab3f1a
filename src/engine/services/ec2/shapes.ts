/** Input shapes shared by the EC2 operations (member names as in the EC2 model). */
import { s } from '../../shapes';

export const Filters = () =>
  s.list(
    s.struct({
      Name: s.str({ doc: 'The filter name, such as instance-state-name, vpc-id or tag:Name.' }),
      Values: s.list(s.str(), { doc: 'One or more values; * and ? are wildcards.' }),
    }),
    { doc: 'Narrow the results: Name=NAME,Values=V1,V2 (repeatable).' },
  );

export const TagSpecifications = () =>
  s.list(
    s.struct({
      ResourceType: s.str({ doc: 'The type of resource to tag: instance, volume, security-group ...' }),
      Tags: s.list(s.struct({ Key: s.str(), Value: s.str() })),
    }),
    { doc: 'Tags to put on the resources created.' },
  );

export const DryRun = () => s.bool({ doc: 'Check permissions and parameters without doing anything.' });

export const MaxResults = (min = 5, max = 1000) => s.int({ min, max, doc: 'Most items per page.' });
export const NextToken = () => s.str({ doc: 'Token from a previous page.' });
