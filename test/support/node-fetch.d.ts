// The tests run on Node's fetch, whose Response.json() answers any, as the DOM's types say. The
// test project also loads workers-types (so that the Worker's own modules compile here), which
// types it as unknown: this puts Node's answer first, so that a test reads a JSON body as it is.
interface Response {
  json(): Promise<any>;
}
