fn main() {
    std::process::exit(planc::cli::run());
}
