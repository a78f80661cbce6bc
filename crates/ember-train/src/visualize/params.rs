//! Parameters named by their module path, as burn's `ModuleVisitor` walks a model.

/// The module path of the parameter being visited: `enter_module` pushes a field name,
/// `exit_module` pops it. Enum variants (`LeNet5::Modern`) are left out, as burn-store's
/// paths can leave them out, so a name does not depend on the variant: `c1.weight`.
#[derive(Debug, Default)]
pub(crate) struct ModulePath {
    parts: Vec<String>,
}

impl ModulePath {
    pub(crate) fn enter(&mut self, name: &str, container_type: &str) {
        if !container_type.starts_with("Enum:") {
            self.parts.push(name.to_string());
        }
    }

    pub(crate) fn exit(&mut self, container_type: &str) {
        if !container_type.starts_with("Enum:") {
            self.parts.pop();
        }
    }

    /// The current path, `.`-separated.
    pub(crate) fn name(&self) -> String {
        self.parts.join(".")
    }
}
