/// Effect handlers that wrap a program, as NumPyro's `numpyro.handlers`:
/// `Handlers.seed(model, key: k)` is a program that runs `model` with a seed
/// handler on top of the context's stack. Handlers compose by nesting, the
/// outermost wrapper being the outermost handler:
/// `Handlers.trace(Handlers.seed(Handlers.substitute(model, data: values), key: k))`.
public enum Handlers {
    /// `program` run with a fresh handler from `makeHandler` pushed for the run.
    static func wrap<Output>(_ program: @escaping Program<Output>,
                             _ makeHandler: @escaping () -> any Messenger) -> Program<Output> {
        { context in try context.withHandler(makeHandler()) { try program(context) } }
    }
}
