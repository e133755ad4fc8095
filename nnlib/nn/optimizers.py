"""Optimizers (lessons 4 and 6): ``update(params, grads)`` changes each parameter array in place."""

import numpy as np

from . import _checks as checks


class SGD:
    """Stochastic gradient descent, optionally with momentum: ``v = m v - lr g; p += v``."""

    def __init__(self, learning_rate=0.01, momentum=0.0):
        checks.optimizer_args("SGD", learning_rate, momentum=momentum)
        self.learning_rate, self.momentum = learning_rate, momentum
        self.velocity = {}

    def update(self, params, grads):
        """Change each array of ``params`` in place, using the matching gradient."""
        checks.update_args(params, grads)
        for i, (p, g) in enumerate(zip(params, grads)):
            if self.momentum:
                if i not in self.velocity:
                    self.velocity[i] = np.zeros_like(p)
                v = self.velocity[i]
                v *= self.momentum
                v -= self.learning_rate * g
                p += v
            else:
                p -= self.learning_rate * g


class Adam:
    """Adam (Kingma & Ba, 2015): momentum on the gradient and on its square, bias-corrected."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        checks.optimizer_args("Adam", learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon)
        self.learning_rate, self.beta_1, self.beta_2 = learning_rate, beta_1, beta_2
        self.epsilon = epsilon
        self.m, self.v, self.t = {}, {}, 0

    def update(self, params, grads):
        """Change each array of ``params`` in place, using the matching gradient."""
        checks.update_args(params, grads)
        self.t += 1
        lr_t = self.learning_rate * np.sqrt(1 - self.beta_2**self.t) / (1 - self.beta_1**self.t)
        for i, (p, g) in enumerate(zip(params, grads)):
            if i not in self.m:
                self.m[i], self.v[i] = np.zeros_like(p), np.zeros_like(p)
            m, v = self.m[i], self.v[i]  # running means of g and of g^2
            m *= self.beta_1
            m += (1 - self.beta_1) * g
            v *= self.beta_2
            v += (1 - self.beta_2) * (g * g)
            p -= lr_t * m / (np.sqrt(v) + self.epsilon)


OPTIMIZERS = {"sgd": SGD, "adam": Adam}


def get_optimizer(opt):
    """An optimizer object from a name (``"sgd"``, ``"adam"``) or the object itself."""
    checks.optimizer(opt, OPTIMIZERS)
    return OPTIMIZERS[opt]() if isinstance(opt, str) else opt
