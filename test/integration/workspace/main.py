"""A small module the integration suites complete code in."""


def fibonacci(n: int) -> int:
    """Return the n-th Fibonacci number."""
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def main() -> None:
    for i in range(10):
        print(i, fibonacci(i))


if __name__ == "__main__":
    main()
