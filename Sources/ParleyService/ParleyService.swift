/// The service layer between the projection engine and the front ends (the `parley` command line, and
/// importers and automations to come): the one write path into a log, and typed queries that return
/// values. Nothing here formats text; front ends render.
public enum ParleyService {}
