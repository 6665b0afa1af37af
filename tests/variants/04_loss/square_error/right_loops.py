def square_error(y_pred, d):
    K = y_pred.shape[1]
    loss = 0.0
    dy = np.zeros((1, K))
    for k in range(K):
        loss += 0.5 * (y_pred[0, k] - d[0, k]) ** 2
        dy[0, k] = y_pred[0, k] - d[0, k]
    return loss, dy
