"""The monitor: scheduled test calls inside `callserver serve`, and their last results."""
