import { describe, it, expect } from 'vitest';
import { term, type Term } from '../s3/helpers';
import { fetchS3Url, websiteHost, parseS3Host } from '../../../src/engine/services/s3/website';

const URL = 'http://my-site.s3-website-us-east-1.amazonaws.com';
const PUBLIC_POLICY = `'{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-site/*"}]}'`;

function site(opts: { public?: boolean } = {}): Term {
  const t = term();
  t.ok('aws s3 mb s3://my-site');
  t.write('site/index.html', '<h1>Home</h1>\n');
  t.write('site/error.html', '<h1>Lost?</h1>\n');
  t.write('site/docs/index.html', '<h1>Docs</h1>\n');
  t.write('site/style.css', 'body{}\n');
  t.ok('aws s3 sync site s3://my-site');
  t.ok('aws s3 website s3://my-site --index-document index.html --error-document error.html');
  if (opts.public !== false) {
    t.ok('aws s3api delete-public-access-block --bucket my-site');
    t.ok(`aws s3api put-bucket-policy --bucket my-site --policy ${PUBLIC_POLICY}`);
  }
  return t;
}

describe('website configuration', () => {
  it('put/get/delete-bucket-website and NoSuchWebsiteConfiguration', () => {
    const t = term();
    t.ok('aws s3 mb s3://my-site');
    const r = t.run('aws s3api get-bucket-website --bucket my-site');
    expect(r.code).toBe(254);
    expect(r.err).toContain('An error occurred (NoSuchWebsiteConfiguration) when calling the GetBucketWebsite operation: The specified bucket does not have a website configuration');
    t.ok(`aws s3api put-bucket-website --bucket my-site --website-configuration '{"IndexDocument":{"Suffix":"index.html"},"RoutingRules":[{"Condition":{"KeyPrefixEquals":"old/"},"Redirect":{"ReplaceKeyPrefixWith":"new/"}}]}'`);
    expect(t.json('aws s3api get-bucket-website --bucket my-site')).toEqual({ IndexDocument: { Suffix: 'index.html' }, RoutingRules: [{ Condition: { KeyPrefixEquals: 'old/' }, Redirect: { ReplaceKeyPrefixWith: 'new/' } }] });
    expect(t.run(`aws s3api put-bucket-website --bucket my-site --website-configuration '{"ErrorDocument":{"Key":"e.html"}}'`).err).toContain('A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty');
    expect(t.run(`aws s3api put-bucket-website --bucket my-site --website-configuration '{"IndexDocument":{"Suffix":"a/index.html"}}'`).err).toContain('The IndexDocument Suffix is not well formed');
    t.ok('aws s3api delete-bucket-website --bucket my-site');
    expect(t.run('aws s3api get-bucket-website --bucket my-site').code).toBe(254);
  });

  it('endpoint names: a dash in older regions, a dot in newer ones', () => {
    expect(websiteHost('b', 'us-east-1')).toBe('b.s3-website-us-east-1.amazonaws.com');
    expect(websiteHost('b', 'eu-west-1')).toBe('b.s3-website-eu-west-1.amazonaws.com');
    expect(websiteHost('b', 'eu-central-1')).toBe('b.s3-website.eu-central-1.amazonaws.com');
    expect(websiteHost('b', 'us-east-2')).toBe('b.s3-website.us-east-2.amazonaws.com');
    expect(parseS3Host('b.s3-website.us-east-1.amazonaws.com')).toBeUndefined();
    expect(parseS3Host('b.s3-website.eu-central-1.amazonaws.com')).toEqual({ kind: 'website', bucket: 'b', region: 'eu-central-1' });
  });
});

describe('the website endpoint through curl', () => {
  it('403 AccessDenied while the objects are not public (Block Public Access on, no policy)', () => {
    const t = site({ public: false });
    const out = t.ok(`curl -i ${URL}/`);
    expect(out).toMatch(/^HTTP\/1\.1 403 Forbidden\n/);
    expect(out).toContain('<li>Code: AccessDenied</li>');
    expect(out).toContain('An Error Occurred While Attempting to Retrieve a Custom Error Document');
    // a public policy is refused while BlockPublicPolicy is on
    expect(t.run(`aws s3api put-bucket-policy --bucket my-site --policy ${PUBLIC_POLICY}`).code).toBe(254);
  });

  it('serves the index document for / and folders, with the object Content-Type', () => {
    const t = site();
    const out = t.ok(`curl -i ${URL}/`);
    expect(out).toMatch(/^HTTP\/1\.1 200 OK\n/);
    expect(out).toContain('Content-Type: text/html\n');
    expect(out).toContain('Server: AmazonS3\n');
    expect(out.endsWith('\n\n<h1>Home</h1>\n')).toBe(true);
    expect(t.ok(`curl ${URL}/docs/`)).toBe('<h1>Docs</h1>\n');
    expect(t.ok(`curl -i ${URL}/style.css`)).toContain('Content-Type: text/css');
  });

  it('a folder without its slash answers 302 to FOLDER/; -L follows it', () => {
    const t = site();
    const head = t.ok(`curl -I ${URL}/docs`);
    expect(head).toMatch(/^HTTP\/1\.1 302 Found\n/);
    expect(head).toContain('Location: /docs/\n');
    expect(t.ok(`curl -sL ${URL}/docs`)).toBe('<h1>Docs</h1>\n');
  });

  it('a missing key gets the error document with its status (403 without s3:ListBucket, 404 with it)', () => {
    const t = site();
    let out = t.ok(`curl -i ${URL}/missing.html`);
    expect(out).toMatch(/^HTTP\/1\.1 403 Forbidden\n/);
    expect(out).toContain('<h1>Lost?</h1>');
    t.ok(
      `aws s3api put-bucket-policy --bucket my-site --policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-site/*"},{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::my-site"}]}'`,
    );
    out = t.ok(`curl -i ${URL}/missing.html`);
    expect(out).toMatch(/^HTTP\/1\.1 404 Not Found\n/);
    expect(out).toContain('<h1>Lost?</h1>');
    t.ok('aws s3 rm s3://my-site/error.html');
    out = t.ok(`curl ${URL}/missing.html`);
    expect(out).toContain('<li>Code: NoSuchKey</li>');
    expect(out).toContain('<li>Key: missing.html</li>');
    expect(t.run(`curl -f -s ${URL}/missing.html`).code).toBe(22);
  });

  it('redirects: RedirectAllRequestsTo, routing rules by prefix and by error code, object redirect locations', () => {
    const t = site();
    t.ok('aws s3api put-object --bucket my-site --key moved.html --website-redirect-location /docs/');
    let out = t.ok(`curl -I ${URL}/moved.html`);
    expect(out).toMatch(/^HTTP\/1\.1 301 Moved Permanently\n/);
    expect(out).toContain('Location: /docs/');
    t.ok(
      `aws s3api put-bucket-website --bucket my-site --website-configuration '{"IndexDocument":{"Suffix":"index.html"},"RoutingRules":[{"Condition":{"KeyPrefixEquals":"blog/"},"Redirect":{"ReplaceKeyPrefixWith":"docs/","HttpRedirectCode":"307"}},{"Condition":{"HttpErrorCodeReturnedEquals":"403"},"Redirect":{"HostName":"example.com","ReplaceKeyWith":"sorry.html"}}]}'`,
    );
    out = t.ok(`curl -I ${URL}/blog/post.html`);
    expect(out).toMatch(/^HTTP\/1\.1 307 Temporary Redirect\n/);
    expect(out).toContain(`Location: http://my-site.s3-website-us-east-1.amazonaws.com/docs/post.html`);
    out = t.ok(`curl -I ${URL}/nothing-here`);
    expect(out).toContain('Location: http://example.com/sorry.html');
    t.ok(`aws s3api put-bucket-website --bucket my-site --website-configuration '{"RedirectAllRequestsTo":{"HostName":"www.example.com","Protocol":"https"}}'`);
    out = t.ok(`curl -I ${URL}/a/b.html`);
    expect(out).toContain('Location: https://www.example.com/a/b.html');
    // following a redirect to a host outside the sandbox does not resolve
    expect(t.run(`curl -L ${URL}/a/b.html`).code).toBe(6);
  });

  it('errors: no website configuration, no bucket, HTTPS to a website endpoint, other hosts', () => {
    const t = site();
    t.ok('aws s3 mb s3://plain-bucket');
    expect(t.ok('curl http://plain-bucket.s3-website-us-east-1.amazonaws.com/')).toContain('<li>Code: NoSuchWebsiteConfiguration</li>');
    expect(t.ok('curl -i http://nobody-has-this.s3-website-us-east-1.amazonaws.com/')).toMatch(/404 Not Found[\s\S]*Code: NoSuchBucket/);
    const https = t.run(`curl https://my-site.s3-website-us-east-1.amazonaws.com/`);
    expect(https.code).toBe(7);
    expect(t.run('curl https://example.com/').err).toContain('curl: (6) Could not resolve host: example.com');
    expect(t.run('curl -s https://example.com/').err).toBe('');
  });

  it('the REST endpoint serves public objects to anonymous callers and XML errors otherwise', () => {
    const t = site();
    expect(t.ok('curl https://my-site.s3.amazonaws.com/style.css')).toBe('body{}\n');
    expect(t.ok('curl https://s3.us-east-1.amazonaws.com/my-site/index.html')).toBe('<h1>Home</h1>\n');
    t.ok('aws s3 mb s3://closed');
    t.ok('aws s3 cp site/index.html s3://closed/index.html');
    const out = t.ok('curl -i https://closed.s3.amazonaws.com/index.html');
    expect(out).toMatch(/^HTTP\/1\.1 403 Forbidden\n/);
    expect(out).toContain('<Error><Code>AccessDenied</Code><Message>Access Denied</Message>');
  });

  it('fetchS3Url is a pure function of the sandbox: same request, same response', () => {
    const t = site();
    const a = t.sb.mutate((sb) => fetchS3Url(sb, 'GET', `${URL}/`));
    const b = t.sb.mutate((sb) => fetchS3Url(sb, 'GET', `${URL}/`));
    expect(a).toEqual(b);
    expect('status' in a && a.status).toBe(200);
  });
});

describe('the preview view', () => {
  it('leaves no trace: no call log entry, and the last denial stays the learner\'s', async () => {
    const t = site({ public: false });
    const { previewFetch } = await import('../../../src/engine/services/s3/website');
    expect(t.run('aws s3 cp s3://my-site/index.html - --profile anonymous').code).toBe(1);
    const denial = t.ok('sandbox explain-last-denial');
    const calls = t.sb.callLog().length;
    const r = previewFetch(t.sb, 'GET', `${URL}/style.css`);
    expect('status' in r && r.status).toBe(403);
    expect(t.sb.callLog().length).toBe(calls);
    expect(t.ok('sandbox explain-last-denial')).toBe(denial);
  });
});
