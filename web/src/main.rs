fn main() {
    iam_playground::run();
}
